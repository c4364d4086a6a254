/**
 * User settings: defaults, validation, and chrome.storage access.
 */
import { ext } from "./ext.js";

export const DEFAULT_SERVER = "http://127.0.0.1:6543";

/** The new-tab card is off until the user turns it on. */
export const DEFAULT_NEWTAB = Object.freeze({
  enabled: false,
  everyMinutes: 60,
  days: [1, 2, 3, 4, 5],
  fromHour: 9,
  toHour: 18,
});

/**
 * Clean up a server address the user typed: adds "http://" when no scheme is
 * given, drops the trailing slash, keeps a path prefix.
 * @param {string} text
 * @returns {string} the address
 * @throws {Error} when it is not an http(s) address
 */
export function normalizeServerUrl(text) {
  let value = String(text ?? "").trim();
  if (!value) throw new Error("empty");
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) value = "http://" + value;
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("scheme");
  if (!url.hostname) throw new Error("host");
  const path = url.pathname.replace(/\/+$/, "");
  return `${url.protocol}//${url.host}${path}`;
}

/**
 * The match pattern that grants access to a server's origin.
 * @param {string} serverUrl
 */
export function originPattern(serverUrl) {
  const url = new URL(serverUrl);
  return `${url.protocol}//${url.hostname}/*`;
}

/**
 * Check and complete new-tab settings.
 * @param {object} [value]
 * @returns {{enabled: boolean, everyMinutes: number, days: number[], fromHour: number, toHour: number}}
 */
export function normalizeNewtab(value = {}) {
  const int = (v, lo, hi, d) => (Number.isInteger(Number(v)) && Number(v) >= lo && Number(v) <= hi ? Number(v) : d);
  return {
    enabled: Boolean(value.enabled),
    everyMinutes: int(value.everyMinutes, 1, 24 * 60, DEFAULT_NEWTAB.everyMinutes),
    days: Array.isArray(value.days) ? [...new Set(value.days.map(Number).filter((d) => d >= 0 && d <= 6))].sort() : [...DEFAULT_NEWTAB.days],
    fromHour: int(value.fromHour, 0, 23, DEFAULT_NEWTAB.fromHour),
    toHour: int(value.toHour, 1, 24, DEFAULT_NEWTAB.toHour),
  };
}

/** @returns {Promise<string>} the server address */
export async function getServerUrl() {
  const { serverUrl } = await ext.storage.local.get("serverUrl");
  return serverUrl || DEFAULT_SERVER;
}

/** @param {string} url already normalized */
export async function setServerUrl(url) {
  await ext.storage.local.set({ serverUrl: url });
}

/** @returns {Promise<ReturnType<typeof normalizeNewtab>>} */
export async function getNewtab() {
  const { newtab } = await ext.storage.local.get("newtab");
  return normalizeNewtab(newtab ?? DEFAULT_NEWTAB);
}

/** @param {object} value */
export async function setNewtab(value) {
  await ext.storage.local.set({ newtab: normalizeNewtab(value) });
}
