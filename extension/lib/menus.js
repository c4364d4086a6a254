/**
 * Build the context menus from the server's actions (GET /api/v1/extension).
 * Pure module: `buildMenuItems` decides, `applyMenuItems` talks to the browser.
 */
import { isPredictAction } from "./predictions.js";
import { isSimilarAction } from "./similar.js";

/** The actions a server always offers (core's), used when it cannot be reached yet. */
export const CORE_ACTIONS = [
  { id: "donate", kind: "donate", title: "Donate to ImageMonkey", contexts: ["image"] },
  { id: "label-donate", kind: "label", title: "Label and donate…", contexts: ["image"] },
];

/**
 * Message keys for the kinds of action the extension itself carries out; every other action
 * uses the server's title. Nothing here names a plugin: what a server offers comes from it.
 */
const TITLE_KEYS = {
  donate: "menuDonate",
  label: "menuLabelDonate",
  predict: "menuPredict",
  similar: "menuSimilar",
};

/** Kinds the extension runs itself on an image (the others need a `url` to open). */
const LOCAL_KINDS = new Set(["donate", "label", "predict", "similar"]);

/**
 * Whether the extension carries out this action itself on an image: donate and label always, predict
 * and similar when they name an API path to post the picture to (see lib/predictions.js, lib/similar.js).
 * @param {{kind?: string}} action
 */
export function runsHere(action) {
  if (action.kind === "predict") return isPredictAction(action);
  if (action.kind === "similar") return isSimilarAction(action);
  return LOCAL_KINDS.has(action.kind);
}

/**
 * Menu items for chrome.contextMenus.create, from the server's actions only.
 * Image actions become entries on images (donate, label and predict run here; others open
 * their `url`); popup actions become entries on the toolbar button's own menu ("action"
 * context); page actions with a url open that page. Actions for the "donated" context are
 * follow-ups offered after a donation, never menu entries.
 * @param {{id: string, kind?: string, title?: string, contexts?: string[], url?: string}[]} actions
 * @param {(key: string) => string} [translate] message lookup; returns the key when missing
 * @returns {{id: string, title: string, contexts: string[]}[]}
 */
export function buildMenuItems(actions, translate = (k) => k) {
  const items = [];
  const seen = new Set();
  for (const action of actions ?? []) {
    if (!action?.id || seen.has(action.id)) continue;
    const local = runsHere(action);
    const contexts = [];
    for (const c of action.contexts ?? []) {
      if (c === "image" && (local || action.url)) contexts.push("image");
      else if (c === "page" && action.url && !action.url.includes("{image_id}")) contexts.push("page");
      else if (c === "popup") contexts.push("action");
    }
    if (!contexts.length) continue;
    seen.add(action.id);
    const key = TITLE_KEYS[action.kind];
    const translated = key ? translate(key) : null;
    const title = translated && translated !== key ? translated : action.title || action.id;
    items.push({ id: action.id, title, contexts: [...new Set(contexts)] });
  }
  return items;
}

/**
 * Find an action by id.
 * @param {object[]} actions
 * @param {string} id
 */
export function findAction(actions, id) {
  return (actions ?? []).find((a) => a?.id === id) ?? null;
}

/**
 * The action a popup or new-tab card asks questions for: a `task` action offered in the popup
 * with a `task` description ({kind, answer: {path, field, choices}}), or null.
 * @param {object[]} actions
 */
export function findTaskCardAction(actions) {
  return findTaskCardActions(actions)[0] ?? null;
}

/**
 * Every action a card can ask questions for, in the server's order (the popup offers a switch between them).
 * @param {object[]} actions
 */
export function findTaskCardActions(actions) {
  return (actions ?? []).filter((a) => a?.kind === "task" && a.task?.kind && a.task?.answer?.path
    && (a.contexts ?? []).includes("popup"));
}

/**
 * Follow-ups after a donation: actions for the "donated" context that open a page.
 * @param {object[]} actions
 */
export function followUps(actions) {
  return (actions ?? []).filter((a) => a?.url && (a.contexts ?? []).includes("donated"));
}

/**
 * Fill a path template such as "/images/{image_id}".
 * @param {string} template
 * @param {Record<string, string>} values
 * @returns {string}
 */
export function fillTemplate(template, values) {
  return template.replace(/\{(\w+)\}/g, (m, name) => (name in values ? encodeURIComponent(values[name]) : m));
}

/**
 * Replace all of this extension's context menu entries.
 * @param {{removeAll(): Promise<void>, create(p: object, cb?: Function): unknown}} contextMenus
 * @param {{id: string, title: string, contexts: string[]}[]} items
 */
export async function applyMenuItems(contextMenus, items) {
  await contextMenus.removeAll();
  for (const item of items) {
    await new Promise((resolve) => {
      contextMenus.create({ id: item.id, title: item.title, contexts: item.contexts }, () => {
        void globalThis.chrome?.runtime?.lastError; // duplicate ids during a race: ignore
        resolve();
      });
    });
  }
}
