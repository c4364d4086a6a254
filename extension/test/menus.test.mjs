import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CORE_ACTIONS, applyMenuItems, buildMenuItems, fillTemplate, findAction, findTaskCardAction, followUps, runsHere,
} from "../lib/menus.js";

const translate = (key) => ({ menuDonate: "Donate to ImageMonkey", menuLabelDonate: "Label and donate…",
  menuPredict: "What does ImageMonkey see?" })[key] ?? key;

// Made-up plugin ids on purpose: the extension must act on kinds and contexts, never on ids it knows.
const QUIZ = { kind: "quiz", answer: { path: "/api/v1/things/{image_label_id}/answers", field: "answer",
  choices: [{ value: "yes", key: "y" }, { value: "no", key: "n" }] } };
const SERVER_ALL = [
  { id: "donate", kind: "donate", title: "Donate", contexts: ["image"] },
  { id: "label-donate", kind: "label", title: "Label and donate", contexts: ["image"] },
  { id: "zz-quiz", kind: "task", title: "Quiz", contexts: ["popup"], url: "/quiz", task: QUIZ },
  { id: "zz-draw", kind: "task", title: "Draw on it", contexts: ["donated"], url: "/draw/{image_id}" },
];

test("core actions become image entries with local titles", () => {
  assert.deepEqual(buildMenuItems(CORE_ACTIONS, translate), [
    { id: "donate", title: "Donate to ImageMonkey", contexts: ["image"] },
    { id: "label-donate", title: "Label and donate…", contexts: ["image"] },
  ]);
});

test("a popup task goes on the toolbar button's menu with the server's title; a donated follow-up is no entry", () => {
  const items = buildMenuItems(SERVER_ALL, translate);
  assert.deepEqual(items.map((i) => i.id), ["donate", "label-donate", "zz-quiz"]);
  assert.deepEqual(items.find((i) => i.id === "zz-quiz"), { id: "zz-quiz", title: "Quiz", contexts: ["action"] });
});

test("donate and label are known by kind, whatever their id", () => {
  const items = buildMenuItems([{ id: "give", kind: "donate", title: "Give", contexts: ["image"] },
    { id: "tag", kind: "label", title: "Tag", contexts: ["image"] }], translate);
  assert.deepEqual(items, [{ id: "give", title: "Donate to ImageMonkey", contexts: ["image"] },
    { id: "tag", title: "Label and donate…", contexts: ["image"] }]);
});

test("a predict action with an API path is an image entry the extension runs; without one it is skipped", () => {
  const guess = { id: "zz-guess", kind: "predict", title: "Guess", contexts: ["image", "page"], method: "POST",
    api: "/api/v1/zz/guesses" };
  assert.deepEqual(buildMenuItems([guess], translate),
    [{ id: "zz-guess", title: "What does ImageMonkey see?", contexts: ["image"] }]);  // no page: it needs a picture
  assert.equal(runsHere(guess), true);
  assert.deepEqual(buildMenuItems([{ ...guess, api: "https://evil.example/api/v1/x" }], translate), []);
  assert.deepEqual(buildMenuItems([{ ...guess, method: "GET" }], translate), []);
  // an older server's predict action with a page to open still opens it
  assert.deepEqual(buildMenuItems([{ ...guess, contexts: ["image"], api: undefined, url: "/zz?image={image_url}" }], translate),
    [{ id: "zz-guess", title: "What does ImageMonkey see?", contexts: ["image"] }]);
  assert.equal(runsHere({ ...guess, api: undefined }), false);
});

test("the question card and the follow-ups come from the actions", () => {
  assert.equal(findTaskCardAction(SERVER_ALL).id, "zz-quiz");
  assert.equal(findTaskCardAction(SERVER_ALL.filter((a) => a.id !== "zz-quiz")), null);
  assert.equal(findTaskCardAction([{ id: "x", kind: "task", contexts: ["popup"] }]), null);  // no task description
  assert.deepEqual(followUps(SERVER_ALL).map((a) => a.id), ["zz-draw"]);
});

test("a feature switched off on the server disappears from the menus", () => {
  const items = buildMenuItems(SERVER_ALL.filter((a) => a.id !== "zz-quiz"), translate);
  assert.equal(items.find((i) => i.id === "zz-quiz"), undefined);
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
  assert.equal(buildMenuItems([{ id: "donate", kind: "donate", title: "Give", contexts: ["image"] }])[0].title, "Give");
});

test("fillTemplate and findAction", () => {
  assert.equal(fillTemplate("/annotate/{image_id}", { image_id: "a b" }), "/annotate/a%20b");
  assert.equal(fillTemplate("/x/{missing}", {}), "/x/{missing}");
  assert.equal(findAction(SERVER_ALL, "zz-draw").url, "/draw/{image_id}");
  assert.equal(findAction(null, "zz-draw"), null);
});

test("applyMenuItems replaces all entries", async () => {
  const log = [];
  const fake = {
    removeAll: async () => log.push("removeAll"),
    create: (p, cb) => { log.push(p.id); cb?.(); },
  };
  await applyMenuItems(fake, buildMenuItems(SERVER_ALL, translate));
  assert.deepEqual(log, ["removeAll", "donate", "label-donate", "zz-quiz"]);
});
