/**
 * The "Find similar in ImageMonkey" flow in the service worker: read the picture the way a donation does,
 * POST it to the similar action's path, keep the answer in session storage and open the result view.
 */
import { failure, readShownImage } from "./donate.js";
import { ext } from "./ext.js";
import { similarRequest, similarView } from "./similar.js";

/**
 * Ask the server for look-alikes of the picture a context menu pointed at, and open similar.html with them.
 * @param {object} p
 * @param {ReturnType<import("./api.js").createApiClient>} p.api
 * @param {{srcUrl: string, frameId?: number}} p.info as chrome.contextMenus passes it
 * @param {{id?: number}|undefined} p.tab
 * @param {{api: string}} p.action the server's similar action
 * @param {{max_upload_bytes?: number}|null} [p.limits] from /api/v1/info
 * @returns {Promise<object>} `{ok: true, status: "similar", count, key}` or a failure; never rejects
 */
export async function findSimilar({ api, info, tab, action, limits = null }) {
  let result;
  try {
    const file = await readShownImage(info, tab, limits);
    const { path, form } = similarRequest(action, file.blob, file.filename);
    const tiles = similarView(await api.postForm(path, form), api.baseUrl);
    result = { ok: true, status: "similar", count: tiles.length, tiles };
  } catch (err) {
    result = failure(err, api.baseUrl);
  }
  const key = `similar-${Date.now()}`;
  const session = ext.storage.session ?? ext.storage.local;
  await session.set({ [key]: { srcUrl: info.srcUrl, server: api.baseUrl, result } });
  await ext.tabs.create({ url: ext.runtime.getURL(`similar.html?key=${encodeURIComponent(key)}`) });
  return { ...result, key, tiles: undefined };
}
