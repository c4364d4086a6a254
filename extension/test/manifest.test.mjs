import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { test } from "node:test";

const root = new URL("../", import.meta.url);
const manifest = JSON.parse(readFileSync(new URL("manifest.json", root), "utf8"));
const messages = JSON.parse(readFileSync(new URL("_locales/en/messages.json", root), "utf8"));

test("manifest.json's version equals core/VERSION (one version for server and extension)", () => {
  const version = readFileSync(new URL("../core/VERSION", root), "utf8").trim();
  assert.equal(manifest.version, version);
});

test("Manifest V3 with a background that works in Chromium and Firefox", () => {
  assert.equal(manifest.manifest_version, 3);
  assert.equal(manifest.background.service_worker, "background.js");
  assert.deepEqual(manifest.background.scripts, ["background.js"]);
  assert.equal(manifest.background.type, "module");
  assert.ok(manifest.browser_specific_settings.gecko.id);
  assert.equal(manifest.default_locale, "en");
});

test("only the permissions the extension needs", () => {
  assert.deepEqual([...manifest.permissions].sort(), ["activeTab", "contextMenus", "scripting", "storage"]);
  assert.deepEqual(manifest.host_permissions, ["http://127.0.0.1/*", "http://localhost/*"]);
  assert.deepEqual(manifest.optional_host_permissions, ["<all_urls>"]);
  assert.ok(!manifest.content_scripts, "the panel is injected on demand, never on every page");
});

test("every __MSG_ key and every icon exists", () => {
  for (const m of JSON.stringify(manifest).matchAll(/__MSG_(\w+)__/g)) assert.ok(messages[m[1]], m[1]);
  for (const size of [16, 32, 48, 128]) {
    assert.equal(manifest.icons[size], `icons/icon-${size}.png`);
    assert.ok(existsSync(new URL(manifest.icons[size], root)));
  }
});
