/**
 * When the new-tab validation card is due. Pure module.
 */

/**
 * Whether a new tab should show the validation card now.
 * @param {{enabled: boolean, everyMinutes: number, days: number[], fromHour: number, toHour: number}} settings
 *   days: 0 = Sunday ... 6 = Saturday; hours in local time, fromHour inclusive,
 *   toHour exclusive; fromHour > toHour spans midnight (e.g. 22..6)
 * @param {Date} now
 * @param {number|null} lastShown ms since epoch of the last card, or null
 * @returns {boolean}
 */
export function isCardDue(settings, now, lastShown) {
  if (!settings?.enabled) return false;
  if (!settings.days.includes(now.getDay())) return false;
  const h = now.getHours();
  const { fromHour: from, toHour: to } = settings;
  const inHours = from === to ? true : from < to ? h >= from && h < to : h >= from || h < to;
  if (!inHours) return false;
  if (lastShown == null) return true;
  return now.getTime() - lastShown >= settings.everyMinutes * 60_000;
}

/** URLs browsers use for an empty new tab. */
export const NEW_TAB_URLS = ["chrome://newtab/", "chrome://new-tab-page/", "edge://newtab/", "about:newtab", "about:home", "about:blank#newtab"];

/**
 * Whether a tab's URL is the browser's own new-tab page.
 * @param {string|undefined} url
 */
export function isNewTabUrl(url) {
  return Boolean(url) && NEW_TAB_URLS.includes(url);
}
