/**
 * Show the label panel, the predictions panel or a result toast inside the page, on demand.
 */
import { ext } from "./ext.js";
import { t } from "./i18n.js";

/** Strings the in-page UI needs (content scripts get them from here). */
const STRINGS = [
  "panelTitle", "panelLabelPlaceholder", "panelLabelHint", "panelDonate", "panelClose", "panelRemoveLabel",
  "panelNoLabels", "panelDonating", "resultDonated", "resultDuplicate", "resultDuplicateNoLabels", "resultFollowUp",
  "resultOpenOptions",
  "panelAlias", "panelNewLabel", "toastDonating", "panelSuggestions",
  "predictTitle", "predictWorking", "predictNothing", "predictPicked", "predictDonate", "predictLabel",
];

/**
 * Inject content/panel.js and its views (once per frame) and show something in it.
 * @param {number} tabId
 * @param {number} frameId
 * @param {{mode: "panel"|"toast"|"predict", srcUrl?: string, pageUrl?: string, state?: string, result?: object,
 *   labels?: string[]}} payload
 * @returns {Promise<boolean>} false when the page cannot be scripted
 */
export async function showInPage(tabId, frameId, payload) {
  const target = { tabId, frameIds: [frameId ?? 0] };
  const strings = Object.fromEntries(STRINGS.map((k) => [k, t(k)]));
  try {
    await ext.scripting.executeScript({ target, files: ["content/panel.js", "content/predictions.js"] });
    await ext.scripting.executeScript({
      target,
      func: (data) => globalThis.__imagemonkeyUI?.show(data),
      args: [{ ...payload, strings }],
    });
    return true;
  } catch {
    return false;
  }
}
