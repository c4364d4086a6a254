/**
 * Reporting the picture on the question card, driven by a server action (GET /api/v1/extension) of context
 * `popup` that carries reasons and an API path with `{image_id}`, e.g.
 *   {contexts: ["popup"], method: "POST", api: "/api/v1/images/{image_id}/reports", reasons: [{value, title}]}
 * It is recognised by that shape, like a task action by its `task` description: the code names no plugin.
 */
import { fillTemplate } from "./menus.js";

/**
 * The first usable reporting action for the popup and new-tab card, or null.
 * @param {object[]} actions
 * @returns {{api: string, reasons: {value: string, title: string}[]}|null}
 */
export function findReportAction(actions) {
  return (actions ?? []).find((a) => (a?.contexts ?? []).includes("popup")
    && typeof a.api === "string" && a.api.startsWith("/api/") && a.api.includes("{image_id}")
    && reportReasons(a).length > 0) ?? null;
}

/**
 * The action's reasons that can be offered (a string value; the value stands in for a missing title).
 * @param {{reasons?: unknown[]}} action
 * @returns {{value: string, title: string}[]}
 */
export function reportReasons(action) {
  return (Array.isArray(action?.reasons) ? action.reasons : []).filter((r) => typeof r?.value === "string" && r.value)
    .map((r) => ({ value: r.value, title: typeof r.title === "string" && r.title ? r.title : r.value }));
}

/**
 * The request a report sends: the action's path filled with the image id, and its JSON body.
 * @param {{api: string}} action
 * @param {string} imageId
 * @param {string} reason
 * @param {string} [note] a short note; sent only when not blank
 * @returns {{path: string, body: {reason: string, note?: string}}}
 */
export function reportRequest(action, imageId, reason, note = "") {
  if (!imageId) throw new Error("no image to report");
  const body = { reason };
  if (note.trim()) body.note = note.trim();
  return { path: fillTemplate(action.api, { image_id: imageId }), body };
}
