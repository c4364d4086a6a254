import assert from "node:assert/strict";
import { test } from "node:test";
import { buildMenuItems, runsHere } from "../lib/menus.js";
import { SIMILAR_LIMIT, isSimilarAction, similarRequest, similarView } from "../lib/similar.js";

// A made-up id on purpose: the action is recognised by its kind and its API path, never by a plugin id.
const ACTION = { id: "zz-alike", kind: "similar", title: "Alike", contexts: ["image"], method: "POST", api: "/api/v1/zz/alike" };
const SERVER = "https://im.example";
const image = (id, thumb = `/api/v1/images/${id}/file?size=thumb`, labels = [{ label: "cat" }]) =>
  ({ id, urls: { thumb }, labels });

test("a similar action needs an API path of this server and POST", () => {
  assert.equal(isSimilarAction(ACTION), true);
  assert.equal(isSimilarAction({ ...ACTION, method: undefined }), true);
  for (const bad of [{ method: "GET" }, { api: "https://evil.example/api/v1/x" }, { api: "//evil/api/" },
    { api: "/zz/alike" }, { api: "/api/v1/zz?x=1" }, { api: undefined }, { kind: "predict" }]) {
    assert.equal(isSimilarAction({ ...ACTION, ...bad }), false, JSON.stringify(bad));
  }
  assert.equal(isSimilarAction(null), false);
});

test("the request posts the picture as the multipart field image, with the limit", () => {
  const blob = new Blob([new Uint8Array([0xff, 0xd8])], { type: "image/jpeg" });
  const { path, form } = similarRequest(ACTION, blob, "image.jpg");
  assert.equal(path, `/api/v1/zz/alike?limit=${SIMILAR_LIMIT}`);
  assert.deepEqual([...form.keys()], ["image"]);
  assert.throws(() => similarRequest({ ...ACTION, api: "https://evil.example/api/" }, blob, "x.jpg"));
});

test("the view keeps the server's own pictures, nearest first, linking to their pages", () => {
  const answer = { images: [
    { image: image("7"), distance: 0.3 },
    { image: image("3", "/api/v1/images/3/file?size=thumb", [{ label: "cup" }, { label: "person" }]), distance: 0.1 },
    { image: image("9", "https://evil.example/x.jpg"), distance: 0.05 },
    { image: image("x1"), distance: 0.2 }, { image: null, distance: 0.2 }, null,
    { image: image("11"), distance: "far" }] };
  assert.deepEqual(similarView(answer, SERVER), [
    { id: "3", thumb: `${SERVER}/api/v1/images/3/file?size=thumb`, page: `${SERVER}/images/3`,
      labels: ["cup", "person"], distance: 0.1 },
    { id: "7", thumb: `${SERVER}/api/v1/images/7/file?size=thumb`, page: `${SERVER}/images/7`, labels: ["cat"],
      distance: 0.3 },
    { id: "11", thumb: `${SERVER}/api/v1/images/11/file?size=thumb`, page: `${SERVER}/images/11`, labels: ["cat"],
      distance: null }]);
  assert.deepEqual(similarView({}, SERVER), []);
  assert.deepEqual(similarView(null, SERVER), []);
});

test("a similar action becomes a menu entry on images, with the extension's own title", () => {
  assert.equal(runsHere(ACTION), true);
  assert.equal(runsHere({ ...ACTION, api: "https://evil.example/api/" }), false);
  const items = buildMenuItems([ACTION], (key) => ({ menuSimilar: "Find similar in ImageMonkey" })[key] ?? key);
  assert.deepEqual(items, [{ id: "zz-alike", title: "Find similar in ImageMonkey", contexts: ["image"] }]);
  assert.deepEqual(buildMenuItems([{ ...ACTION, api: "https://evil.example/api/" }]), []);
});
