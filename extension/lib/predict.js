/**
 * The "What does ImageMonkey see?" flow in the service worker: read the picture the way a donation
 * does, POST it to the predict action's path, and turn the answer into what the in-page panel shows.
 */
import { failure, readShownImage } from "./donate.js";
import { t } from "./i18n.js";
import { predictRequest, predictionView } from "./predictions.js";

/**
 * @typedef {{ok: true, status: "predicted", labels: string[], modelLine: string, version: number|null,
 *   ms: number|null, bars: {label: string, probability: number, percent: string, picked: boolean}[]}
 *   | {ok: false, code: string, message: string, retryAfter: number|null}} PredictResult
 */

/**
 * Ask the server what it sees in the picture a context menu pointed at.
 * @param {object} p
 * @param {ReturnType<import("./api.js").createApiClient>} p.api
 * @param {{srcUrl: string, frameId?: number}} p.info as chrome.contextMenus passes it
 * @param {{id?: number}|undefined} p.tab
 * @param {{api: string}} p.action the server's predict action
 * @param {{max_upload_bytes?: number}|null} [p.limits] from /api/v1/info
 * @returns {Promise<PredictResult>} never rejects
 */
export async function predictImage({ api, info, tab, action, limits = null }) {
  try {
    const file = await readShownImage(info, tab, limits);
    const { path, form } = predictRequest(action, file.blob, file.filename);
    const answer = await api.postForm(path, form);
    return { ok: true, status: "predicted", ...predictionView(answer, t) };
  } catch (err) {
    return failure(err, api.baseUrl);
  }
}
