// /me: who you are (anonymous token or account), your counts by kind, your donations and your log, in words
// and linked: the server says how each kind reads and what each entry was (GET .../summary and .../contributions).
import { api, element, showWithToken, storedToken, timeElement, whoAmI } from "./client.js";
import "./tokens.js";  // an account's tokens, password and log out everywhere
import "./delete_account.js";  // an account deleting itself
import { showOptIns } from "./profile_opt_ins.js";

const status = document.getElementById("me-status");
const counts = document.getElementById("me-counts");
const log = document.getElementById("me-log");
const more = document.getElementById("me-more");
const donations = document.getElementById("me-donations");
const logEmpty = document.getElementById("me-log-empty");
let cursor = null;

async function loadLog() {
  const params = new URLSearchParams({ limit: "50" });
  if (cursor) params.set("cursor", cursor);
  const page = await api("/api/v1/contributors/me/contributions?" + params, {}, false);
  for (const entry of page.contributions) {  // each entry in words (by its owner), linked to what it is about
    const what = entry.url ? element("a", { href: entry.url, textContent: entry.text }) : entry.text;
    const item = element("li", { className: entry.reverted ? "reverted" : "" }, timeElement(entry.created_at), " · ", what);
    if (entry.reverted) item.append(" (reverted)");
    log.append(item);
  }
  logEmpty.hidden = log.children.length > 0;
  cursor = page.next_cursor;
  more.hidden = !cursor;
}

async function start() {
  if (!storedToken()) {
    status.textContent = "You have not contributed from this browser yet.";
    donations.replaceChildren(element("li", { className: "muted", textContent: "No donations yet." }));
    logEmpty.hidden = false;
    return;
  }
  const me = await whoAmI();
  status.textContent = me.kind === "account" ? `Logged in as ${me.name}.` : `Anonymous contributor ${me.id} (this browser's token).`;
  if ((me.roles || []).includes("moderator")) status.append(" ", element("a", { href: "/moderate", textContent: "Moderate" }));
  const streak = me.streak_days ? ` · a ${me.streak_days}-day streak` : "";
  document.getElementById("me-today").textContent = `Today: ${me.today.total} contributions${streak}.`;
  if (me.kind === "account") showOptIns(me);
  const summary = await api("/api/v1/contributors/me/summary", {}, false);
  counts.hidden = false;
  counts.replaceChildren(element("div", {}, element("strong", { textContent: summary.total }), element("span", { textContent: "contributions" })),
    ...Object.entries(summary.by_kind).map(([kind, n]) => element("div", {}, element("strong", { textContent: n }), element("span", { textContent: summary.kinds[kind] }))));
  const mine = await api("/api/v1/images?" + new URLSearchParams({ donor: "me", limit: "24" }), {}, false).catch(() => null);
  if (mine && !mine.images.length) donations.replaceChildren(element("li", { className: "muted", textContent: "No donations yet." }));
  else if (mine) donations.replaceChildren(...mine.images.map((image) => {
    const thumb = element("img", { alt: image.labels.map((l) => l.label).join(", ") || "an unlabeled image", width: 160, height: 160 });
    showWithToken(thumb, image.urls.thumb);
    return element("li", { className: "tile" }, element("a", { href: "/images/" + image.id }, thumb),
      element("span", { className: "muted", textContent: image.status }));
  }));
  more.addEventListener("click", loadLog);
  await loadLog();
}

start().catch((error) => { status.textContent = error.message; });
