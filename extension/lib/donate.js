/**
 * The donate flow in the service worker: find the shown image, read it, check
 * it, upload it with its labels, source_url and page_url.
 */
import { ApiError } from "./api.js";
import { fetchImageBytes } from "./fetch-image.js";
import { t } from "./i18n.js";
import { fileNameFor, refusalFor, sniffImage } from "./image-info.js";
import { fillTemplate, followUps } from "./menus.js";
import { describeError } from "./messages.js";
import { probePage } from "./page-probe.js";

/**
 * @typedef {{ok: true, status: "donated"|"duplicate", image: object, labels: string[], editorUrl: string|null, followUpTitle: string|null}
 *   | {ok: false, code: string, message: string, retryAfter: number|null}} DonateResult
 */

/**
 * Read the picture a context menu (or the in-page panel) pointed at, as donations send it: the file
 * actually shown, checked against the server's limits and what it accepts.
 * @param {{srcUrl: string, frameId?: number}} info as chrome.contextMenus passes it
 * @param {{id?: number}|undefined} tab
 * @param {{max_upload_bytes?: number}|null} [limits] from /api/v1/info
 * @returns {Promise<{blob: Blob, filename: string, sourceUrl: string|null}>}
 * @throws {ApiError} a refusal or a read failure
 */
export async function readShownImage(info, tab, limits = null) {
  const srcUrl = info.srcUrl;
  if (!srcUrl) throw new ApiError("unsupported_source", "No image here.");
  const isBlob = srcUrl.startsWith("blob:");
  const probe = tab?.id != null && tab.id >= 0 ? await probePage(tab.id, info.frameId ?? 0, srcUrl, isBlob) : null;
  const shown = probe?.currentSrc || srcUrl;
  const file = await fetchImageBytes(shown, probe);
  const sniffed = sniffImage(file.bytes);
  const size = {
    width: sniffed.width ?? probe?.naturalWidth ?? null,
    height: sniffed.height ?? probe?.naturalHeight ?? null,
  };
  const refusal = refusalFor({ ...sniffed, ...size }, { mime: file.mime, size: file.bytes.length, maxBytes: limits?.max_upload_bytes ?? null });
  if (refusal) throw new ApiError(refusal.code, refusal.code, { details: refusal.details });
  const blob = new Blob([file.bytes], { type: sniffed.format ? `image/${sniffed.format}` : file.mime || "application/octet-stream" });
  return { blob, filename: fileNameFor(sniffed.format), sourceUrl: file.sourceUrl };
}

/**
 * Donate the image a context menu (or the label panel) pointed at.
 * @param {object} p
 * @param {ReturnType<import("./api.js").createApiClient>} p.api
 * @param {{srcUrl: string, pageUrl?: string, frameId?: number}} p.info as chrome.contextMenus passes it
 * @param {{id?: number, url?: string}|undefined} p.tab
 * @param {string[]} [p.labels]
 * @param {object[]} [p.actions] the server's actions (for "Outline it now")
 * @param {{max_upload_bytes?: number}|null} [p.limits] from /api/v1/info
 * @returns {Promise<DonateResult>} never rejects
 */
export async function donateImage({ api, info, tab, labels = [], actions = [], limits = null }) {
  try {
    const file = await readShownImage(info, tab, limits);
    const pageUrl = info.pageUrl || tab?.url || undefined;
    const { image, duplicate } = await api.donate({
      image: file.blob,
      filename: file.filename,
      labels,
      sourceUrl: file.sourceUrl ?? undefined,
      pageUrl: pageUrl && /^https?:/i.test(pageUrl) ? pageUrl : undefined,
    });
    const followUp = followUps(actions)[0];
    const editorUrl = followUp ? api.url(fillTemplate(followUp.url, { image_id: image.id })) : null;
    const followUpTitle = followUp?.title ?? null;
    return { ok: true, status: duplicate ? "duplicate" : "donated", image, labels, editorUrl, followUpTitle };
  } catch (err) {
    return failure(err, api.baseUrl);
  }
}

/**
 * A DonateResult for an error.
 * @param {unknown} err
 * @param {string} server
 * @returns {DonateResult}
 */
export function failure(err, server) {
  const e = err instanceof ApiError ? err : new ApiError("internal", String(err?.message ?? err));
  const details = { ...e.details, server };
  return {
    ok: false,
    code: e.code,
    status: e.status,
    message: describeError({ code: e.code, message: e.message, retryAfter: e.retryAfter, details }, t),
    retryAfter: e.retryAfter,
  };
}
