/**
 * Build the context menus from the server's actions (GET /api/v1/extension).
 * Pure module: `buildMenuItems` decides, `applyMenuItems` talks to the browser.
 */

/** The actions a server always offers, used when it cannot be reached yet. */
export const CORE_ACTIONS = [
  { id: "donate", title: "Donate to ImageMonkey", contexts: ["image"] },
  { id: "label-donate", title: "Label and donate…", contexts: ["image"] },
];

/** Message keys for the actions the extension knows; others use the server's title. */
const TITLE_KEYS = {
  donate: "menuDonate",
  "label-donate": "menuLabelDonate",
  validate: "menuValidate",
};

/** Actions that are follow-ups, never menu entries of their own. */
const FOLLOW_UPS = new Set(["annotate"]);

/**
 * Menu items for chrome.contextMenus.create. Image actions become entries on
 * images; popup actions (validate) become entries on the toolbar button's own
 * menu ("action" context); page actions with a url open that page.
 * @param {{id: string, title?: string, contexts?: string[], url?: string}[]} actions
 * @param {(key: string) => string} [translate] message lookup; returns the key when missing
 * @returns {{id: string, title: string, contexts: string[]}[]}
 */
export function buildMenuItems(actions, translate = (k) => k) {
  const items = [];
  const seen = new Set();
  for (const action of actions ?? []) {
    if (!action?.id || seen.has(action.id) || FOLLOW_UPS.has(action.id)) continue;
    const known = action.id in TITLE_KEYS;
    const contexts = [];
    for (const c of action.contexts ?? []) {
      if (c === "image" && (known || action.url)) contexts.push("image");
      else if (c === "page" && action.url && !action.url.includes("{image_id}")) contexts.push("page");
      else if (c === "popup") contexts.push("action");
    }
    if (!contexts.length) continue;
    seen.add(action.id);
    const key = TITLE_KEYS[action.id];
    const local = key ? translate(key) : null;
    const title = local && local !== key ? local : action.title || action.id;
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
 * Fill a path template such as "/annotate/{image_id}".
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
