import assert from "node:assert/strict";
import { test } from "node:test";
import {
  PICK_THRESHOLD, cleanPredictions, isPredictAction, pickLabels, predictRequest, predictionView,
} from "../lib/predictions.js";

// A made-up id on purpose: the action is recognised by its kind and its API path, never by a plugin id.
const ACTION = { id: "zz-guess", kind: "predict", title: "Guess", contexts: ["image"], method: "POST", api: "/api/v1/zz/guesses" };
const t = (key, subs = []) => ({ predictModelVersion: "Model version $1", predictMs: "$1 ms" })[key]
  ?.replace("$1", subs[0]) ?? key;
const ANSWER = { model: { id: "7", version: 3 }, ms: 41.6, predictions: [
  { label: "cup", probability: 0.2 }, { label: "cat", probability: 0.91 }, { label: "person", probability: 0.5 }] };

test("a predict action needs an API path of this server and POST", () => {
  assert.equal(isPredictAction(ACTION), true);
  assert.equal(isPredictAction({ ...ACTION, method: undefined }), true);
  assert.equal(isPredictAction({ ...ACTION, method: "post" }), true);
  for (const bad of [{ method: "GET" }, { api: "https://evil.example/api/v1/x" }, { api: "//evil/api/" },
    { api: "/zz/guesses" }, { api: undefined }, { kind: "link" }]) {
    assert.equal(isPredictAction({ ...ACTION, ...bad }), false, JSON.stringify(bad));
  }
  assert.equal(isPredictAction(null), false);
});

test("the request posts the picture as the multipart field image to the action's path", () => {
  const image = new Blob([new Uint8Array([0xff, 0xd8])], { type: "image/jpeg" });
  const { path, form } = predictRequest(ACTION, image, "image.jpg");
  assert.equal(path, "/api/v1/zz/guesses");
  assert.deepEqual([...form.keys()], ["image"]);
  assert.equal(form.get("image").name, "image.jpg");
  assert.equal(form.get("image").type, "image/jpeg");
  assert.throws(() => predictRequest({ ...ACTION, api: "https://evil.example/api/" }, image, "x.jpg"));
});

test("predictions are cleaned and sorted, likeliest first", () => {
  assert.deepEqual(cleanPredictions({ predictions: [{ label: "a", probability: 0.1 }, { label: "b", probability: 1.7 },
    { label: "", probability: 0.9 }, { label: "c", probability: "0.9" }, { label: "d", probability: NaN }, null,
    { label: "e", probability: -1 }] }),
  [{ label: "b", probability: 1 }, { label: "a", probability: 0.1 }, { label: "e", probability: 0 }]);
  assert.deepEqual(cleanPredictions({}), []);
  assert.deepEqual(cleanPredictions(null), []);
});

test("the labels to donate: all at or above the threshold, else the likeliest one alone", () => {
  const cleaned = cleanPredictions(ANSWER);
  assert.equal(PICK_THRESHOLD, 0.5);
  assert.deepEqual(pickLabels(cleaned), ["cat", "person"]);  // 0.5 itself counts
  assert.deepEqual(pickLabels(cleanPredictions({ predictions: [{ label: "cup", probability: 0.3 },
    { label: "cat", probability: 0.1 }] })), ["cup"]);
  assert.deepEqual(pickLabels([]), []);
  const many = Array.from({ length: 8 }, (_, i) => ({ label: `l${i}`, probability: 0.99 - i / 100 }));
  assert.deepEqual(pickLabels(many), ["l0", "l1", "l2", "l3", "l4"]);
  assert.deepEqual(pickLabels(cleaned, { threshold: 0.95 }), ["cat"]);
});

test("the panel's view: bars with percentages, the picked labels marked, the model line", () => {
  const view = predictionView(ANSWER, t);
  assert.deepEqual(view.bars, [
    { label: "cat", probability: 0.91, percent: "91%", picked: true },
    { label: "person", probability: 0.5, percent: "50%", picked: true },
    { label: "cup", probability: 0.2, percent: "20%", picked: false },
  ]);
  assert.deepEqual(view.labels, ["cat", "person"]);
  assert.equal(view.modelLine, "Model version 3 · 42 ms");
  assert.equal(view.version, 3);
  const bare = predictionView({ predictions: [] }, t);
  assert.deepEqual([bare.bars, bare.labels, bare.modelLine, bare.version, bare.ms], [[], [], "", null, null]);
});
