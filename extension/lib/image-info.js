/**
 * Recognize image bytes before uploading: format, size, SVG. Pure module.
 */

/** Smallest side, in pixels, worth donating. */
export const MIN_SIDE = 32;

const EXT = { jpeg: "jpg", png: "png", gif: "gif", webp: "webp", bmp: "bmp", tiff: "tif", avif: "avif", heic: "heic", ico: "ico" };

/**
 * Parse a data: URL.
 * @param {string} url
 * @returns {{mime: string, bytes: Uint8Array}|null}
 */
export function parseDataUrl(url) {
  const m = /^data:([^,]*?),(.*)$/s.exec(url);
  if (!m) return null;
  const meta = m[1].split(";");
  const mime = (meta[0] || "text/plain").trim().toLowerCase();
  const base64 = meta.slice(1).some((p) => p.trim().toLowerCase() === "base64");
  let bytes;
  if (base64) {
    const bin = atob(decodeURIComponent(m[2]).replace(/\s+/g, ""));
    bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  } else {
    bytes = new TextEncoder().encode(decodeURIComponent(m[2]));
  }
  return { mime, bytes };
}

/**
 * Encode bytes as base64 (for moving them between a page and the worker).
 * @param {Uint8Array} bytes
 */
export function toBase64(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/**
 * Decode base64 into bytes.
 * @param {string} text
 */
export function fromBase64(text) {
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

function isSvgText(bytes) {
  const head = new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(0, 1024)).replace(/^\uFEFF/, "").trimStart().toLowerCase();
  return head.startsWith("<svg") || ((head.startsWith("<?xml") || head.startsWith("<!doctype svg") || head.startsWith("<!--")) && head.includes("<svg"));
}

const u16be = (b, i) => (b[i] << 8) | b[i + 1];
const u16le = (b, i) => b[i] | (b[i + 1] << 8);
const u32be = (b, i) => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
const u24le = (b, i) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);

function jpegSize(b) {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) { i++; continue; }
    const marker = b[i + 1];
    if (marker === 0xff) { i++; continue; }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { i += 2; continue; }
    const len = u16be(b, i + 2);
    const isSof = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isSof) return { height: u16be(b, i + 5), width: u16be(b, i + 7) };
    i += 2 + len;
  }
  return { width: null, height: null };
}

function webpSize(b) {
  const chunk = String.fromCharCode(...b.subarray(12, 16));
  if (chunk === "VP8X" && b.length >= 30) return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  if (chunk === "VP8 " && b.length >= 30) return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  if (chunk === "VP8L" && b.length >= 25) {
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  return { width: null, height: null };
}

/**
 * What the bytes are: format ("jpeg", "png", "gif", "webp", "bmp", "tiff",
 * "avif", "heic", "ico", "svg" or null) and, where the header tells, the size.
 * @param {Uint8Array} b
 * @returns {{format: string|null, width: number|null, height: number|null}}
 */
export function sniffImage(b) {
  const none = { width: null, height: null };
  const ascii = (from, to) => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { format: "jpeg", ...jpegSize(b) };
  if (b.length >= 24 && b[0] === 0x89 && ascii(1, 4) === "PNG") return { format: "png", width: u32be(b, 16), height: u32be(b, 20) };
  if (b.length >= 10 && ascii(0, 4) === "GIF8") return { format: "gif", width: u16le(b, 6), height: u16le(b, 8) };
  if (b.length >= 16 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return { format: "webp", ...webpSize(b) };
  if (b.length >= 26 && ascii(0, 2) === "BM") {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return { format: "bmp", width: Math.abs(v.getInt32(18, true)), height: Math.abs(v.getInt32(22, true)) };
  }
  if (b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a) || (b[0] === 0x4d && b[1] === 0x4d && b[3] === 0x2a))) return { format: "tiff", ...none };
  if (b.length >= 12 && ascii(4, 8) === "ftyp") {
    const brand = ascii(8, 12);
    return { format: brand.startsWith("avi") ? "avif" : "heic", ...none };
  }
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0) return { format: "ico", ...none };
  if (isSvgText(b)) return { format: "svg", ...none };
  return { format: null, ...none };
}

/**
 * A file name for the upload, from the format.
 * @param {string|null} format
 */
export function fileNameFor(format) {
  return `image.${EXT[format] ?? "bin"}`;
}

/**
 * Why these bytes must not be uploaded, or null when they may.
 * @param {{format: string|null, width: number|null, height: number|null}} info from sniffImage,
 *   width/height possibly replaced by what the page displayed (naturalWidth/Height)
 * @param {{mime?: string, size: number, maxBytes?: number|null}} file
 * @returns {{code: string, details?: object}|null}
 */
export function refusalFor(info, { mime = "", size, maxBytes = null }) {
  if (info.format === "svg" || mime.includes("svg")) return { code: "svg" };
  if (!info.format && !mime.startsWith("image/")) return { code: "not_an_image" };
  if (size === 0) return { code: "not_an_image" };
  if (maxBytes && size > maxBytes) return { code: "too_large", details: { size, maxBytes } };
  if ((info.width != null && info.width < MIN_SIDE) || (info.height != null && info.height < MIN_SIDE)) {
    return { code: "too_small", details: { width: info.width, height: info.height } };
  }
  return null;
}
