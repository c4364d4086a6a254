// /me: who you are (anonymous token or account), your counts by kind, your donations and your log.
import { api, element, showWithToken, storedToken, timeElement } from "./client.js";

const status = document.getElementById("me-status");
const counts = document.getElementById("me-counts");
const log = document.getElementById("me-log");
const more = document.getElementById("me-more");
const donations = document.getElementById("me-donations");
const KIND_NAMES = { "image.donate": "donations", "label.add": "labels added", "validate.vote": "answers", "annotate.revision": "outlines" };
let cursor = null;

async function loadLog() {
  const params = new URLSearchParams({ limit: "50" });
  if (cursor) params.set("cursor", cursor);
  const page = await api("/api/v1/contributors/me/contributions?" + params, {}, false);
  for (const entry of page.contributions) {
    const link = entry.kind === "image.donate" ? element("a", { href: "/images/" + entry.target_id, textContent: "image " + entry.target_id }) : entry.target_id;
    log.append(element("li", { className: entry.reverted ? "reverted" : "" }, timeElement(entry.created_at), " · ", KIND_NAMES[entry.kind] || entry.kind, " · ", link));
  }
  cursor = page.next_cursor;
  more.hidden = !cursor;
}

async function start() {
  if (!storedToken()) { status.textContent = "You have not contributed from this browser yet."; return; }
  const me = await api("/api/v1/me", {}, false);
  status.textContent = me.kind === "account" ? `Logged in as ${me.name}.` : `Anonymous contributor ${me.id} (this browser's token).`;
  if ((me.roles || []).includes("moderator")) status.append(" ", element("a", { href: "/moderate", textContent: "Moderate" }));
  const summary = await api("/api/v1/contributors/me/summary", {}, false);
  counts.hidden = false;
  counts.replaceChildren(element("div", {}, element("strong", { textContent: summary.total }), element("span", { textContent: "contributions" })),
    ...Object.entries(summary.by_kind).map(([kind, n]) => element("div", {}, element("strong", { textContent: n }), element("span", { textContent: KIND_NAMES[kind] || kind }))));
  const mine = await api("/api/v1/images?" + new URLSearchParams({ donor: "me", limit: "24" }), {}, false).catch(() => null);
  if (mine) donations.replaceChildren(...mine.images.map((image) => {
    const thumb = element("img", { alt: image.labels.map((l) => l.label).join(", ") || "an unlabeled image", width: 160, height: 160 });
    showWithToken(thumb, image.urls.thumb);
    return element("li", { className: "tile" }, element("a", { href: "/images/" + image.id }, thumb),
      element("span", { className: "muted", textContent: image.status }));
  }));
  more.addEventListener("click", loadLog);
  await loadLog();
}

start().catch((error) => { status.textContent = error.message; });
