/**
 * Look at the image in the page: which file is actually shown (srcset,
 * <picture>), its natural size, and, for blob: URLs, its bytes.
 */
import { ext } from "./ext.js";

/**
 * Runs inside the page (chrome.scripting.executeScript), so it is
 * self-contained. Finds the <img> for srcUrl and reports what it shows.
 * @param {string} srcUrl
 * @param {boolean} wantBytes read the shown file's bytes (blob: URLs)
 */
function probeInPage(srcUrl, wantBytes) {
  const abs = (u) => { try { return new URL(u, document.baseURI).href; } catch { return u; } };
  const target = abs(srcUrl);
  const imgs = [...document.images];
  const el =
    imgs.find((i) => i.currentSrc === target) ||
    imgs.find((i) => abs(i.getAttribute("src") || "") === target) ||
    imgs.find((i) => (i.getAttribute("srcset") || "").split(",").some((c) => abs(c.trim().split(/\s+/)[0]) === target));
  const out = { found: Boolean(el), currentSrc: null, naturalWidth: null, naturalHeight: null, base64: null, mime: null };
  if (el) {
    out.currentSrc = el.currentSrc || abs(el.getAttribute("src") || "");
    out.naturalWidth = el.naturalWidth || null;
    out.naturalHeight = el.naturalHeight || null;
  }
  const url = out.currentSrc || target;
  if (!wantBytes) return out;
  const encode = (blob) => new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
  const viaCanvas = () => {
    if (!el || !el.naturalWidth) return null;
    const canvas = document.createElement("canvas");
    canvas.width = el.naturalWidth;
    canvas.height = el.naturalHeight;
    canvas.getContext("2d").drawImage(el, 0, 0);
    return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  };
  return fetch(url)
    .then((r) => r.blob())
    .catch(() => viaCanvas())
    .then((blob) => (blob ? encode(blob) : null))
    .then((dataUrl) => {
      if (dataUrl) {
        const comma = dataUrl.indexOf(",");
        out.mime = dataUrl.slice(5, comma).split(";")[0];
        out.base64 = dataUrl.slice(comma + 1);
      }
      return out;
    })
    .catch(() => out);
}

/**
 * Probe the page that holds the image. Never throws: returns null when the
 * page cannot be scripted (no permission, a browser page, a closed tab).
 * @param {number} tabId
 * @param {number} frameId
 * @param {string} srcUrl
 * @param {boolean} wantBytes
 * @returns {Promise<{found: boolean, currentSrc: string|null, naturalWidth: number|null, naturalHeight: number|null, base64: string|null, mime: string|null}|null>}
 */
export async function probePage(tabId, frameId, srcUrl, wantBytes) {
  try {
    const [res] = await ext.scripting.executeScript({
      target: { tabId, frameIds: [frameId ?? 0] },
      func: probeInPage,
      args: [srcUrl, wantBytes],
    });
    return res?.result ?? null;
  } catch {
    return null;
  }
}
