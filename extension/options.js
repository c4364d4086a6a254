/**
 * Options: the server address and its connection test, image access, the account
 * (sign up claiming this browser's token, log in, log out), the anonymous identity,
 * and the optional new-tab card.
 */
import { currentAccount, currentClient } from "./lib/client.js";
import { ext } from "./lib/ext.js";
import { localize, t } from "./lib/i18n.js";
import { resetIdentities } from "./lib/identity.js";
import { describeError } from "./lib/messages.js";
import {
  DEFAULT_SERVER, getNewtab, getServerUrl, normalizeServerUrl, originPattern, setNewtab, setServerUrl,
} from "./lib/settings.js";

const $ = (id) => document.getElementById(id);
const ALL_URLS = { origins: ["<all_urls>"] };
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost"]);

function say(el, text, kind = "") {
  el.className = `result ${kind}`;
  el.textContent = text;
}

function typedServer() {
  try {
    return normalizeServerUrl($("server-url").value || DEFAULT_SERVER);
  } catch {
    say($("test-result"), t("optionsBadUrl"), "error");
    return null;
  }
}

/** Ask for access to a non-local server; must run inside the click. */
function requestServerAccess(url) {
  if (LOCAL_HOSTS.has(new URL(url).hostname)) return Promise.resolve(true);
  return ext.permissions.request({ origins: [originPattern(url)] }).catch(() => false);
}

async function testConnection(url) {
  const out = $("test-result");
  say(out, t("optionsTesting"));
  try {
    const api = await currentClient(url);
    const info = await api.info();
    out.className = "result ok";
    out.replaceChildren();
    const line = document.createElement("p");
    line.dataset.testid = "server-identity";
    line.textContent = t("optionsConnected", [info.name ?? "ImageMonkey", info.version ?? "?", String(info.api_version ?? "?")]);
    const heading = document.createElement("p");
    heading.textContent = t("optionsFeatures");
    const list = document.createElement("ul");
    list.className = "features";
    for (const p of info.plugins ?? []) {
      const li = document.createElement("li");
      li.dataset.feature = p.name;
      li.textContent = p.version ? `${p.name} ${p.version}` : p.name;
      list.append(li);
    }
    if (!list.children.length) heading.textContent = t("optionsNoFeatures");
    out.append(line, heading, list);
  } catch (err) {
    say(out, err?.code === "unreachable" ? t("popupUnreachable", [url]) : describeError(err ?? {}, t), "error");
  }
}

async function showImageAccess() {
  const granted = await ext.permissions.contains(ALL_URLS).catch(() => false);
  say($("images-state"), granted ? t("optionsImagesGranted") : t("optionsImagesNotGranted"), granted ? "ok" : "");
  $("revoke-images").hidden = !granted;
}

function fillNewtab(settings) {
  $("newtab-enabled").checked = settings.enabled;
  $("newtab-every").value = settings.everyMinutes;
  const days = $("newtab-days");
  days.querySelectorAll("label").forEach((l) => l.remove());
  const names = ["daySun", "dayMon", "dayTue", "dayWed", "dayThu", "dayFri", "daySat"];
  for (const d of [1, 2, 3, 4, 5, 6, 0]) {
    const label = document.createElement("label");
    const box = Object.assign(document.createElement("input"), { type: "checkbox", value: String(d), checked: settings.days.includes(d) });
    label.append(box, document.createTextNode(t(names[d])));
    days.append(label);
  }
  for (const [id, from, to, value] of [["newtab-from", 0, 23, settings.fromHour], ["newtab-to", 1, 24, settings.toHour]]) {
    const select = $(id);
    select.replaceChildren();
    for (let h = from; h <= to; h++) select.append(new Option(`${String(h).padStart(2, "0")}:00`, String(h), false, h === value));
  }
}

/** Show who is logged in on the chosen server, or the sign-up / log-in form. */
async function showAccount() {
  const account = await (await currentAccount()).current();
  $("account-in").hidden = !account;
  $("account-form").hidden = Boolean(account);
  if (account) $("account-who").textContent = t("optionsLoggedIn", [account.name]);
}

/** Sign up (`signUp` true) or log in with the form's name and password; the answer's token becomes this browser's. */
async function enterAccount(signUp) {
  const out = $("account-state");
  const username = $("account-name").value.trim();
  const password = $("account-password").value;
  if (!username || !password) {
    say(out, t("optionsAccountMissing"), "error");
    (username ? $("account-password") : $("account-name")).focus();
    return;
  }
  try {
    const accounts = await currentAccount();
    const claim = $("account-claim").checked;
    const { account, claimed } = signUp ? await accounts.signUp({ username, password, claim })
      : await accounts.logIn({ username, password, claim });
    $("account-password").value = "";
    await showAccount();
    say(out, signUp ? t(claimed ? "optionsSignedUpClaimed" : "optionsSignedUp", [account.name]) : t(claimed ? "optionsLoggedInClaimed" : "optionsLoggedIn", [account.name]), "ok");
    $("log-out").focus();
  } catch (err) {
    say(out, err?.code === "unreachable" ? t("popupUnreachable", [await getServerUrl()]) : describeError(err ?? {}, t), "error");
  }
}

async function main() {
  localize(document);
  $("server-url").value = await getServerUrl();
  $("server-url").placeholder = DEFAULT_SERVER;
  fillNewtab(await getNewtab());
  showImageAccess();
  showAccount();
  if (new URLSearchParams(location.search).has("grant")) $("image-access").scrollIntoView();

  $("server-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const url = typedServer();
    if (!url) return;
    const asked = requestServerAccess(url);
    (async () => {
      if (!(await asked)) say($("test-result"), t("optionsServerNoAccess"), "error");
      await setServerUrl(url);
      $("server-url").value = url;
      showAccount();
      ext.runtime.sendMessage({ type: "imagemonkey:refresh-menus" }).catch(() => {});
      await testConnection(url);
    })();
  });
  $("test-connection").addEventListener("click", () => {
    const url = typedServer();
    if (!url) return;
    requestServerAccess(url).then(() => testConnection(url));
  });
  $("grant-images").addEventListener("click", () => {
    ext.permissions.request(ALL_URLS).catch(() => false).then(showImageAccess);
  });
  $("revoke-images").addEventListener("click", () => {
    ext.permissions.remove(ALL_URLS).catch(() => false).then(showImageAccess);
  });
  $("account-form").addEventListener("submit", (e) => {
    e.preventDefault();
    enterAccount(true);
  });
  $("log-in").addEventListener("click", () => enterAccount(false));
  $("log-out").addEventListener("click", async () => {
    await (await currentAccount()).logOut();
    await showAccount();
    say($("account-state"), t("optionsLoggedOut"), "ok");
    $("account-name").focus();
  });
  $("reset-identity").addEventListener("click", async () => {
    if (!confirm(t("optionsIdentityConfirm"))) return;
    await resetIdentities();
    await showAccount();
    say($("identity-state"), t("optionsIdentityDone"), "ok");
  });
  $("newtab-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const enabled = $("newtab-enabled").checked;
    const asked = enabled ? ext.permissions.request({ permissions: ["tabs"] }).catch(() => false) : Promise.resolve(true);
    (async () => {
      const granted = await asked;
      const value = {
        enabled: enabled && granted,
        everyMinutes: Number($("newtab-every").value),
        days: [...$("newtab-days").querySelectorAll("input:checked")].map((b) => Number(b.value)),
        fromHour: Number($("newtab-from").value),
        toHour: Number($("newtab-to").value),
      };
      await setNewtab(value);
      fillNewtab(await getNewtab());
      say($("newtab-state"), enabled && !granted ? t("optionsNewtabNeedsTabs") : t("optionsSaved"), enabled && !granted ? "error" : "ok");
    })();
  });
}

main();
