import assert from "node:assert/strict";
import { test } from "node:test";
import { findTaskCardAction, findTaskCardActions } from "../lib/menus.js";
import { answerRequest, choicesFromTask, imageLabelId, subjectKey, taskChoices } from "../lib/task-answer.js";

const VOTES = { path: "/api/v1/image-labels/{image_label_id}/votes", field: "vote",
  batch: { path: "/api/v1/votes", list: "votes" },
  choices: [{ value: "yes", key: "y", title: "Yes" }, { value: "no", key: "n", title: "No" }, { value: 3 }] };
const PROPERTIES = { path: "/api/v1/image-labels/{image_label_id}/properties", field: "value", choices: "task",
  from_task: ["property"], shape_path: "/api/v1/shapes/{shape_id}/properties" };
const PROPERTY_TASK = { kind: "q", image_label: "12", label: "dog", property: "color",
  choices: ["black", "brown", "white", "grey", "golden", "mixed", "a", "b", "c", "ten"] };

test("fixed choices come from the action, a property's from each task with the keys 1 to 9", () => {
  assert.equal(choicesFromTask(VOTES), false);
  assert.deepEqual(taskChoices(VOTES, PROPERTY_TASK).map((c) => c.value), ["yes", "no"]);
  assert.equal(choicesFromTask(PROPERTIES), true);
  const choices = taskChoices(PROPERTIES, PROPERTY_TASK);
  assert.equal(choices.length, 9);
  assert.deepEqual(choices[1], { value: "brown", key: "2", title: "brown" });
  assert.deepEqual(taskChoices(PROPERTIES, { choices: [4, "x"] }), [{ value: "x", key: "1", title: "x" }]);
  assert.deepEqual(taskChoices(PROPERTIES, null), []);
});

test("answers go to the image label, the outlined object or the batch, with the task's fields", () => {
  assert.deepEqual(answerRequest(PROPERTIES, PROPERTY_TASK, "brown"),
    { path: "/api/v1/image-labels/12/properties", body: { property: "color", value: "brown" } });
  assert.deepEqual(answerRequest(PROPERTIES, { ...PROPERTY_TASK, shape: { id: "7", type: "rect" } }, "black"),
    { path: "/api/v1/shapes/7/properties", body: { property: "color", value: "black" } });
  assert.deepEqual(answerRequest(VOTES, { image_label: { id: "5", label: "cat" } }, "yes"),
    { path: "/api/v1/image-labels/5/votes", body: { vote: "yes" } });
  assert.deepEqual(answerRequest(VOTES, { subject_kind: "annotation", subject_id: "9" }, "no"),
    { path: "/api/v1/votes", body: { votes: [{ kind: "annotation", subject_id: "9", vote: "no" }] } });
});

test("subjects are told apart by kind", () => {
  assert.equal(imageLabelId({ image_label: { id: "5" } }), "5");
  assert.equal(imageLabelId({ image_label: "12" }), "12");
  assert.equal(imageLabelId({}), undefined);
  assert.equal(subjectKey({ image_label: { id: "5" } }), "image_label:5");
  assert.equal(subjectKey(PROPERTY_TASK), "image_label:12");
  assert.equal(subjectKey({ ...PROPERTY_TASK, shape: { id: "7" } }), "shape:7");
  assert.equal(subjectKey({ subject_kind: "annotation", subject_id: "9" }), "annotation:9");
});

test("every task action offered in the popup, in the server's order", () => {
  const a = { id: "a", kind: "task", contexts: ["popup"], task: { kind: "x", answer: VOTES } };
  const b = { id: "b", kind: "task", contexts: ["popup"], task: { kind: "y", answer: PROPERTIES } };
  const elsewhere = { id: "c", kind: "task", contexts: ["donated"], task: { kind: "z", answer: VOTES } };
  assert.deepEqual(findTaskCardActions([elsewhere, a, { kind: "link" }, b]), [a, b]);
  assert.equal(findTaskCardAction([elsewhere, b, a]), b);
  assert.deepEqual(findTaskCardActions(null), []);
});
