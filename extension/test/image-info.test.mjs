import assert from "node:assert/strict";
import { test } from "node:test";
import { fileNameFor, fromBase64, parseDataUrl, refusalFor, sniffImage, toBase64 } from "../lib/image-info.js";

// 1x1 PNG, and a PNG header claiming 64x48
const PNG_1x1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

function pngHeader(w, h) {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const v = new DataView(b.buffer);
  v.setUint32(16, w);
  v.setUint32(20, h);
  return b;
}

function jpegHeader(w, h) {
  // SOI, APP0 (length 16), SOF0
  const app0 = [0xff, 0xe0, 0x00, 0x10, ...Array(14).fill(0)];
  const sof = [0xff, 0xc0, 0x00, 0x11, 0x08, h >> 8, h & 255, w >> 8, w & 255, 3, ...Array(9).fill(0)];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof]);
}

test("sniffs PNG, JPEG, GIF and WebP with sizes", () => {
  assert.deepEqual(sniffImage(fromBase64(PNG_1x1)), { format: "png", width: 1, height: 1 });
  assert.deepEqual(sniffImage(pngHeader(640, 480)), { format: "png", width: 640, height: 480 });
  assert.deepEqual(sniffImage(jpegHeader(800, 600)), { format: "jpeg", width: 800, height: 600 });
  const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 100, 0, 50, 0]);
  assert.deepEqual(sniffImage(gif), { format: "gif", width: 100, height: 50 });
  const webp = new Uint8Array(30);
  webp.set(new TextEncoder().encode("RIFF"), 0);
  webp.set(new TextEncoder().encode("WEBPVP8X"), 8);
  webp.set([199, 0, 0, 99, 0, 0], 24);
  assert.deepEqual(sniffImage(webp), { format: "webp", width: 200, height: 100 });
});

test("recognizes SVG text, with or without an XML prolog", () => {
  const enc = (s) => new TextEncoder().encode(s);
  assert.equal(sniffImage(enc('<svg xmlns="http://www.w3.org/2000/svg"/>')).format, "svg");
  assert.equal(sniffImage(enc('\uFEFF  <?xml version="1.0"?>\n<svg></svg>')).format, "svg");
  assert.equal(sniffImage(enc("<html><body>not an image</body></html>")).format, null);
});

test("parseDataUrl decodes base64 and percent-encoded data URLs", () => {
  const png = parseDataUrl(`data:image/png;base64,${PNG_1x1}`);
  assert.equal(png.mime, "image/png");
  assert.equal(sniffImage(png.bytes).format, "png");
  const svg = parseDataUrl("data:image/svg+xml,%3Csvg%20xmlns%3D%22x%22%2F%3E");
  assert.equal(svg.mime, "image/svg+xml");
  assert.equal(new TextDecoder().decode(svg.bytes), '<svg xmlns="x"/>');
  assert.equal(parseDataUrl("https://example.com/"), null);
});

test("base64 round trip of large buffers", () => {
  const bytes = new Uint8Array(100_000).map((_, i) => i % 251);
  assert.deepEqual(fromBase64(toBase64(bytes)), bytes);
});

test("refusals: SVG, tiny, too large, not an image; a good image passes", () => {
  assert.equal(refusalFor({ format: "svg" }, { size: 10 }).code, "svg");
  assert.equal(refusalFor({ format: null }, { mime: "image/svg+xml", size: 10 }).code, "svg");
  assert.deepEqual(refusalFor({ format: "png", width: 16, height: 100 }, { size: 10 }), { code: "too_small", details: { width: 16, height: 100 } });
  assert.equal(refusalFor({ format: "png", width: 100, height: 31 }, { size: 10 }).code, "too_small");
  assert.equal(refusalFor({ format: "jpeg", width: 800, height: 600 }, { size: 11, maxBytes: 10 }).code, "too_large");
  assert.equal(refusalFor({ format: null }, { mime: "text/html", size: 10 }).code, "not_an_image");
  assert.equal(refusalFor({ format: "jpeg", width: 32, height: 32 }, { size: 10, maxBytes: 10 }), null);
  assert.equal(refusalFor({ format: "tiff", width: null, height: null }, { size: 10 }), null);
});

test("fileNameFor picks an extension", () => {
  assert.equal(fileNameFor("jpeg"), "image.jpg");
  assert.equal(fileNameFor(null), "image.bin");
});
