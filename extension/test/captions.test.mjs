import assert from "node:assert/strict";
import { test } from "node:test";
import { captionLanguage, settledCaption } from "../ui/caption-box.js";

test("settledCaption reads the Image JSON's settled caption, null without one", () => {
  assert.equal(settledCaption({ caption: { id: "3", text: "A red car parked by a tree", score: 2 } }), "A red car parked by a tree");
  assert.equal(settledCaption({ caption: null }), null);
  assert.equal(settledCaption({}), null);
  assert.equal(settledCaption(null), null);
  assert.equal(settledCaption({ caption: { text: "   " } }), null);
});

test("captionLanguage sends the browser's tag when the server takes it, else en", () => {
  assert.equal(captionLanguage("en-GB"), "en-GB");
  assert.equal(captionLanguage("de"), "de");
  assert.equal(captionLanguage("zh-Hant-TW"), "zh-Hant-TW");
  assert.equal(captionLanguage(undefined), "en");
  assert.equal(captionLanguage("x"), "en");
  assert.equal(captionLanguage("en_US"), "en");
});
