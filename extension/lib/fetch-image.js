/**
 * Get the bytes of the image the user pointed at, in the service worker.
 */
import { ApiError } from "./api.js";
import { ext } from "./ext.js";
import { fromBase64, parseDataUrl } from "./image-info.js";

/**
 * Read an image: data: URLs are decoded, blob: URLs come from the page probe
 * (only the page can read them), http(s) URLs are fetched by the worker
 * without the page's cookies.
 * @param {string} url the file actually shown (currentSrc when known)
 * @param {{base64?: string|null, mime?: string|null}|null} probe what lib/page-probe.js found
 * @param {typeof fetch} [fetchImpl]
 * @returns {Promise<{bytes: Uint8Array, mime: string, sourceUrl: string|null}>}
 * @throws {ApiError} codes "no_access", "image_fetch", "unsupported_source"
 */
export async function fetchImageBytes(url, probe, fetchImpl = globalThis.fetch) {
  const scheme = url.slice(0, url.indexOf(":")).toLowerCase();
  if (scheme === "data") {
    const parsed = parseDataUrl(url);
    if (!parsed) throw new ApiError("unsupported_source", "Unreadable data: URL.");
    return { bytes: parsed.bytes, mime: parsed.mime, sourceUrl: null };
  }
  if (scheme === "blob") {
    if (!probe?.base64) throw new ApiError("unsupported_source", "The page did not let us read this image.");
    return { bytes: fromBase64(probe.base64), mime: probe.mime ?? "", sourceUrl: null };
  }
  if (scheme !== "http" && scheme !== "https") throw new ApiError("unsupported_source", `Cannot read ${scheme}: images.`);

  const host = new URL(url).host;
  let res;
  try {
    res = await fetchImpl(url, { credentials: "omit", redirect: "follow", headers: { Accept: "image/*,*/*;q=0.5" } });
  } catch (err) {
    const allowed = await hasAccess(url);
    if (!allowed) throw new ApiError("no_access", `No permission to read images from ${host}.`, { details: { host, origin: new URL(url).origin } });
    throw new ApiError("image_fetch", String(err), { details: { reason: host } });
  }
  if (!res.ok) throw new ApiError("image_fetch", `HTTP ${res.status}`, { details: { reason: `HTTP ${res.status}` } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { bytes, mime: (res.headers.get("Content-Type") ?? "").toLowerCase(), sourceUrl: url };
}

async function hasAccess(url) {
  try {
    return await ext.permissions.contains({ origins: [new URL(url).origin + "/*"] });
  } catch {
    return true;
  }
}
