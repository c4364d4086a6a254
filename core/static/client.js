// Shared by the site's pages: the token in localStorage (anonymous, or an account's after /login) and JSON calls.
export const TOKEN_KEY = "imagemonkey.token";
// the logged-in account ({name, roles}) as /login or the header last saw it; "null" for an anonymous token
export const USER_KEY = "imagemonkey.user";

export function storedToken() {
  return localStorage.getItem(TOKEN_KEY);
}

/** The remembered account ({name, roles}), or null (a visitor, an anonymous token, or not known yet). */
export function storedUser() {
  try {
    return JSON.parse(localStorage.getItem(USER_KEY));
  } catch {
    return null;
  }
}

/** Remember a login: its token and its account, for the header of every page. */
export function rememberLogin(token, user) {
  localStorage.setItem(TOKEN_KEY, token);
  localStorage.setItem(USER_KEY, JSON.stringify({ name: user.name, roles: user.roles || [] }));
}

/** Log out: forget the token and the account (the next contribution gets a new anonymous token). */
export function forgetLogin() {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(USER_KEY);
}

export async function token() {
  let value = storedToken();
  if (!value) {
    const response = await fetch("/api/v1/clients", { method: "POST" });
    if (!response.ok) throw new Error("Could not get a token (" + response.status + ")");
    value = (await response.json()).token;
    localStorage.setItem(TOKEN_KEY, value);
    localStorage.setItem(USER_KEY, "null");  // an anonymous token: the header has no account to show
  }
  return value;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error.message : "HTTP " + status);
    this.status = status;
    this.code = body && body.error ? body.error.code : "http_" + status;
  }
}

// fetch with the token; `create` false: never mint an anonymous token just to read
export async function api(path, options = {}, create = true) {
  const bearer = create ? await token() : storedToken();
  const headers = { ...(bearer ? { Authorization: "Bearer " + bearer } : {}), ...(options.json !== undefined ? { "Content-Type": "application/json" } : {}) };
  const body = options.json !== undefined ? JSON.stringify(options.json) : options.body;
  const response = await fetch(path, { method: options.method || "GET", headers, body });
  if (response.status === 204) return null;
  const answer = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, answer);
  return answer;
}

// the catalog's names, aliases and sublabels as the options of `datalist`; returns the catalog's labels ([] if unread)
export async function fillLabels(datalist) {
  const response = await fetch("/api/v1/labels");
  if (!response.ok) return [];
  const labels = (await response.json()).labels;
  const names = [];
  for (const label of labels) {
    names.push(label.name, ...label.aliases);
    for (const sub of label.sublabels || []) names.push(sub.name);
  }
  datalist.replaceChildren(...names.map((name) => Object.assign(document.createElement("option"), { value: name })));
  return labels;
}

export function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

// "3 days ago", with the exact time in the title
const UNITS = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];
export function relativeTime(iso) {
  const seconds = (Date.parse(iso) - Date.now()) / 1000;
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of UNITS) if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  return "just now";
}

export function timeElement(iso) {
  return element("time", { dateTime: iso, title: new Date(iso).toString(), textContent: relativeTime(iso) });
}

// a pending image's files are served only to its donor and moderators: fetch with the token, show as a blob
export async function showWithToken(img, url) {
  const bearer = storedToken();
  const response = await fetch(url, { headers: bearer ? { Authorization: "Bearer " + bearer } : {} });
  if (response.ok) img.src = URL.createObjectURL(await response.blob());
}

// who the stored token belongs to (GET /api/v1/me), asked once per page and shared by its scripts (the header and
// the page); null without a token (then nothing is asked); `fresh` asks again (another tab logged in or out).
// A failed answer rejects with the API's error (401 for a revoked login).
let whoAmIAnswer = null;
export function whoAmI({ fresh = false } = {}) {
  if (!storedToken()) return Promise.resolve(null);
  if (fresh || whoAmIAnswer === null) whoAmIAnswer = api("/api/v1/me", {}, false);
  return whoAmIAnswer;
}

export async function isModerator() {
  const me = await whoAmI().catch(() => null);
  return Boolean(me && (me.roles || []).includes("moderator"));
}
