import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

// What a server offers comes from GET /api/v1/extension; the extension's code names no plugin.
const ROOT = new URL("..", import.meta.url).pathname;
const PLUGIN_IDS = ["validate", "annotate", "report", "playground"];
const SKIP = new Set(["node_modules", "test", "_locales", "icons", "tools"]);

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (SKIP.has(name)) return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(js|mjs|html|css|json)$/.test(name) && !name.startsWith("package") ? [path] : [];
  });
}

test("no plugin id is written in the extension's code, pages or manifest", () => {
  const found = [];
  for (const path of sources(ROOT)) {
    const text = readFileSync(path, "utf8");
    for (const id of PLUGIN_IDS) {
      for (const match of text.matchAll(new RegExp(`["'\`/#.-]${id}["'\`/-]|${id}-card|\\b${id}\\(`, "g"))) {
        found.push(`${path.slice(ROOT.length)}: ${match[0]}`);
      }
    }
  }
  assert.deepEqual(found, []);
});
