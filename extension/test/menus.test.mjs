import assert from "node:assert/strict";
import { test } from "node:test";
import { CORE_ACTIONS, applyMenuItems, buildMenuItems, fillTemplate, findAction } from "../lib/menus.js";

const translate = (key) => ({ menuDonate: "Donate to ImageMonkey", menuLabelDonate: "Label and donate…", menuValidate: "Validate" })[key] ?? key;

const SERVER_ALL = [
  { id: "donate", title: "Donate", contexts: ["image"] },
  { id: "label-donate", title: "Label and donate", contexts: ["image"] },
  { id: "validate", title: "Validate", contexts: ["popup"] },
  { id: "annotate", title: "Outline", contexts: ["image"], url: "/annotate/{image_id}" },
];

test("core actions become image entries with local titles", () => {
  assert.deepEqual(buildMenuItems(CORE_ACTIONS, translate), [
    { id: "donate", title: "Donate to ImageMonkey", contexts: ["image"] },
    { id: "label-donate", title: "Label and donate…", contexts: ["image"] },
  ]);
});

test("validate (popup context) goes on the toolbar button's menu; annotate is a follow-up, not an entry", () => {
  const items = buildMenuItems(SERVER_ALL, translate);
  assert.deepEqual(items.map((i) => i.id), ["donate", "label-donate", "validate"]);
  assert.deepEqual(items.find((i) => i.id === "validate").contexts, ["action"]);
});

test("a feature switched off on the server disappears from the menus", () => {
  const items = buildMenuItems(SERVER_ALL.filter((a) => a.id !== "validate"), translate);
  assert.equal(items.find((i) => i.id === "validate"), undefined);
});

test("unknown actions: a page action with a url is offered with the server's title; others are skipped", () => {
  const items = buildMenuItems([
    { id: "report", title: "Report this page", contexts: ["page"], url: "/report?page={page_url}" },
    { id: "mystery", title: "Mystery", contexts: ["image"] },
    { id: "needs-image", title: "X", contexts: ["page"], url: "/x/{image_id}" },
    { title: "no id", contexts: ["image"] },
    null,
  ], translate);
  assert.deepEqual(items, [{ id: "report", title: "Report this page", contexts: ["page"] }]);
});

test("duplicates and missing lists are harmless", () => {
  assert.deepEqual(buildMenuItems(undefined), []);
  assert.equal(buildMenuItems([CORE_ACTIONS[0], CORE_ACTIONS[0]], translate).length, 1);
});

test("without a translation the server's title is used", () => {
  assert.equal(buildMenuItems([{ id: "donate", title: "Give", contexts: ["image"] }])[0].title, "Give");
});

test("fillTemplate and findAction", () => {
  assert.equal(fillTemplate("/annotate/{image_id}", { image_id: "a b" }), "/annotate/a%20b");
  assert.equal(fillTemplate("/x/{missing}", {}), "/x/{missing}");
  assert.equal(findAction(SERVER_ALL, "annotate").url, "/annotate/{image_id}");
  assert.equal(findAction(null, "annotate"), null);
});

test("applyMenuItems replaces all entries", async () => {
  const log = [];
  const fake = {
    removeAll: async () => log.push("removeAll"),
    create: (p, cb) => { log.push(p.id); cb?.(); },
  };
  await applyMenuItems(fake, buildMenuItems(SERVER_ALL, translate));
  assert.deepEqual(log, ["removeAll", "donate", "label-donate", "validate"]);
});
