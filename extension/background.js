/**
 * ImageMonkey service worker (Chromium) / background script (Firefox).
 *
 * Wires browser events to the modules in lib/: menus built from the server's
 * actions, the donate, predict and find-similar flows, the in-page panels' requests, the new-tab card.
 * Listeners are registered synchronously at the top level, as MV3 requires.
 */
import { ext } from "./lib/ext.js";
import { currentClient } from "./lib/client.js";
import { labelEntries } from "./lib/catalog.js";
import { donateImage, failure } from "./lib/donate.js";
import { t } from "./lib/i18n.js";
import { matchLabels } from "./lib/labels.js";
import { CORE_ACTIONS, applyMenuItems, buildMenuItems, fillTemplate, findAction, findTaskCardAction } from "./lib/menus.js";
import { showInPage } from "./lib/page-ui.js";
import { findSimilar } from "./lib/find-similar.js";
import { predictImage } from "./lib/predict.js";
import { isPredictAction } from "./lib/predictions.js";
import { isCardDue, isNewTabUrl } from "./lib/schedule.js";
import { isSimilarAction } from "./lib/similar.js";
import { getNewtab, getServerUrl } from "./lib/settings.js";

const state = { actions: null, menuItems: [], server: null, limits: null, limitsAt: 0 };
let menuChain = Promise.resolve();

/** Cached actions for a server, so menus work before the server answers. */
async function storedActions(server) {
  const { actions } = await ext.storage.local.get("actions");
  return actions?.[server] ?? null;
}

/**
 * Ask the server what to offer and rebuild the context menus from it.
 * Serialized: overlapping rebuilds would create duplicate entries.
 * @returns {Promise<{id: string, title: string, contexts: string[]}[]>}
 */
function refreshMenus() {
  menuChain = menuChain.catch(() => {}).then(async () => {
    const api = await currentClient();
    let actions;
    try {
      actions = await api.actions();
      const { actions: all = {} } = await ext.storage.local.get("actions");
      await ext.storage.local.set({ actions: { ...all, [api.baseUrl]: actions } });
    } catch {
      actions = (await storedActions(api.baseUrl)) ?? CORE_ACTIONS;
    }
    state.server = api.baseUrl;
    state.actions = actions;
    state.menuItems = buildMenuItems(actions, t);
    await applyMenuItems(ext.contextMenus, state.menuItems);
    return state.menuItems;
  });
  return menuChain;
}

async function currentActions(api) {
  if (state.actions && state.server === api.baseUrl) return state.actions;
  return (await storedActions(api.baseUrl)) ?? CORE_ACTIONS;
}

/** Server limits (max upload size), refreshed every few minutes. */
async function currentLimits(api) {
  if (state.limits && state.server === api.baseUrl && Date.now() - state.limitsAt < 5 * 60_000) return state.limits;
  try {
    state.limits = (await api.info())?.limits ?? null;
    state.limitsAt = Date.now();
  } catch {
    return null;
  }
  return state.limits;
}

/**
 * Flash the toolbar badge: the result is visible even where the page can't show it. The tab may be closed before
 * the badge is cleared (Firefox then rejects with "Invalid tab ID"): nothing is left to clear, so that is ignored.
 */
function badge(ok, tabId) {
  const opts = tabId != null && tabId >= 0 ? { tabId } : {};
  const ignore = () => {};
  ext.action.setBadgeBackgroundColor?.({ color: ok ? "#1c6b34" : "#a42020", ...opts })?.catch(ignore);
  ext.action.setBadgeText({ text: ok ? "✓" : "!", ...opts })?.catch(ignore);
  setTimeout(() => ext.action.setBadgeText({ text: "", ...opts })?.catch(ignore), 5000);
}

/** Donate from a page, with the page's tab and frame. */
async function donateFrom(info, tab, labels) {
  const api = await currentClient();
  const [actions, limits] = await Promise.all([currentActions(api), currentLimits(api)]);
  const result = await donateImage({ api, info, tab, labels, actions, limits });
  badge(result.ok, tab?.id);
  return result;
}

/**
 * "What does ImageMonkey see?": the predictions panel next to the picture, filled in when the server answers.
 * @returns {Promise<object>} the PredictResult (lib/predict.js), or no_page where the page can't show it
 */
async function predictFrom(info, tab, action) {
  const where = { mode: "predict", srcUrl: info.srcUrl, pageUrl: info.pageUrl ?? tab?.url };
  const shown = tab?.id != null && tab.id >= 0 && (await showInPage(tab.id, info.frameId, { ...where, state: "working" }));
  if (!shown) return { ok: false, code: "no_page", message: t("errNoPage") };
  const api = await currentClient();
  const result = await predictImage({ api, info, tab, action, limits: await currentLimits(api) });
  await showInPage(tab.id, info.frameId, { ...where, result });
  return result;
}

/**
 * Handle a context menu click. Exposed as globalThis.imagemonkeyMenuClick for tests.
 * @param {{menuItemId: string, srcUrl?: string, pageUrl?: string, frameId?: number}} info
 * @param {{id?: number, url?: string}} [tab]
 * @returns {Promise<object>} the donate or predict result, or {ok, status} for other actions
 */
async function handleMenuClick(info, tab) {
  const id = String(info.menuItemId);
  const tabId = tab?.id;
  const canShow = tabId != null && tabId >= 0;
  try {
    const api = await currentClient();
    const action = findAction(await currentActions(api), id) ?? findAction(CORE_ACTIONS, id);
    if (action?.kind === "donate") {
      if (canShow) await showInPage(tabId, info.frameId, { mode: "toast", state: "working", srcUrl: info.srcUrl });
      const result = await donateFrom(info, tab, []);
      if (canShow) await showInPage(tabId, info.frameId, { mode: "toast", srcUrl: info.srcUrl, result });
      return result;
    }
    if (isPredictAction(action)) return await predictFrom(info, tab, action);
    if (isSimilarAction(action)) {  // "Find similar": the look-alikes in a result view of their own
      return await findSimilar({ api, info, tab, action, limits: await currentLimits(api) });
    }
    if (action?.kind === "label") {
      const shown = canShow && (await showInPage(tabId, info.frameId, { mode: "panel", srcUrl: info.srcUrl, pageUrl: info.pageUrl ?? tab?.url }));
      return shown ? { ok: true, status: "panel" } : { ok: false, code: "no_page", message: t("errNoPage") };
    }
    if (action && findTaskCardAction([action])) {  // the popup's question card, in a tab of its own
      await ext.tabs.create({ url: ext.runtime.getURL("popup.html?view=tab") });
      return { ok: true, status: "opened" };
    }
    if (action?.url) {
      const url = api.url(fillTemplate(action.url, { page_url: info.pageUrl ?? "", src_url: info.srcUrl ?? "",
        image_url: info.srcUrl ?? "" }));
      await ext.tabs.create({ url });
      return { ok: true, status: "opened", url };
    }
    return { ok: false, code: "unknown_action", message: id };
  } catch (err) {
    return failure(err, await getServerUrl());
  } finally {
    refreshMenus().catch(() => {});
  }
}

globalThis.imagemonkeyMenuClick = handleMenuClick;
/** For tests and debugging: what the menus currently hold. */
globalThis.imagemonkeyMenuState = async () => {
  await menuChain.catch(() => {});
  return { server: state.server, actions: state.actions, menuItems: state.menuItems };
};
globalThis.imagemonkeyRefreshMenus = refreshMenus;

ext.contextMenus.onClicked.addListener((info, tab) => {
  handleMenuClick(info, tab);
});

/** Requests from the label panel and the extension pages. */
ext.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  const reply = (promise) => {
    promise.then(sendResponse, (err) => sendResponse({ ok: false, code: "internal", message: String(err?.message ?? err) }));
    return true;
  };
  switch (msg?.type) {
    case "imagemonkey:labels":
      return reply((async () => {
        const entries = await labelEntries(await currentClient());
        return { results: matchLabels(entries, msg.query, { exclude: msg.exclude ?? [] }) };
      })());
    case "imagemonkey:donate": {
      const info = { srcUrl: msg.srcUrl, pageUrl: msg.pageUrl, frameId: sender.frameId ?? 0 };
      return reply(donateFrom(info, sender.tab, Array.isArray(msg.labels) ? msg.labels.map(String) : []));
    }
    case "imagemonkey:open":
      return reply(ext.tabs.create({ url: msg.url }).then(() => ({ ok: true })));
    case "imagemonkey:options":
      return reply(ext.runtime.openOptionsPage().then(() => ({ ok: true })));
    case "imagemonkey:refresh-menus":
      return reply(refreshMenus().then((items) => ({ ok: true, items })));
    default:
      return false;
  }
});

ext.runtime.onInstalled.addListener(() => { refreshMenus().catch(() => {}); });
ext.runtime.onStartup?.addListener(() => { refreshMenus().catch(() => {}); });
ext.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && changes.serverUrl) refreshMenus().catch(() => {});
});

/** The optional new-tab card: replace a fresh new tab when it is due. */
ext.tabs.onCreated.addListener(async (tab) => {
  const url = tab.pendingUrl || tab.url;
  if (!isNewTabUrl(url)) return; // without the optional "tabs" permission the URL is hidden: nothing happens
  const settings = await getNewtab();
  const { newtabLastShown = null } = await ext.storage.local.get("newtabLastShown");
  if (!isCardDue(settings, new Date(), newtabLastShown)) return;
  await ext.storage.local.set({ newtabLastShown: Date.now() });
  await ext.tabs.update(tab.id, { url: ext.runtime.getURL("newtab.html") });
});

refreshMenus().catch(() => {});
