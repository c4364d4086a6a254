// The moderation section of /moderate: the report plugin's queue, decided by buttons or the page's keys
// (j/k or ↓/↑ move, a keep, d remove, and v: remove and revert the donor), each decision undoable.
// Shown to moderators only: for anyone else it stays hidden and asks the API nothing (core's page says to log in).
import { isModerator, storedToken } from "/static/client.js";
const root = document.getElementById("report-moderation");
const list = document.getElementById("report-queue");
const status = document.getElementById("report-queue-status");
const more = document.getElementById("report-more");
const filters = document.getElementById("report-filters");
const KEYS = { a: "keep", d: "remove", v: "remove_and_revert" };
const MOVES = { j: "nextElementSibling", ArrowDown: "nextElementSibling", k: "previousElementSibling",
  ArrowUp: "previousElementSibling" };
const DONE = { keep: "kept", remove: "removed", remove_and_revert: "removed, donor reverted" };
let cursor = null;

async function api(path, options = {}) {
  const headers = { Authorization: "Bearer " + storedToken() };
  if (options.json !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method: options.method || "GET", headers,
    body: options.json !== undefined ? JSON.stringify(options.json) : undefined });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error ? body.error.message : "HTTP " + response.status);
  return body;
}

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function select(item) {
  list.querySelectorAll("li.selected").forEach((other) => other.classList.remove("selected"));
  if (item) { item.classList.add("selected"); item.focus(); }
}

async function thumbnail(img, url) {
  const response = await fetch(url, { headers: { Authorization: "Bearer " + storedToken() } });
  if (response.ok) img.src = URL.createObjectURL(await response.blob());
}

async function decide(item, decision) {
  const buttons = item.querySelectorAll("button");
  buttons.forEach((button) => { button.disabled = true; });
  try {
    const answer = await api("/api/v1/moderation/decisions", { method: "POST",
      json: { image_id: item.dataset.id, decision, reason: "moderation page" } });
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    status.replaceChildren(`Image ${item.dataset.id} ${DONE[decision]}. `, undoButton(answer.decision.id));
    select(next);
  } catch (error) {
    status.textContent = error.message;
    buttons.forEach((button) => { button.disabled = false; });
  }
}

function undoButton(decisionId) {
  return el("button", { type: "button", className: "secondary", textContent: "Undo", onclick: async () => {
    try {
      await api(`/api/v1/moderation/decisions/${decisionId}/revert`, { method: "POST", json: {} });
      status.textContent = "Decision undone.";
      reload();
    } catch (error) { status.textContent = error.message; }
  } });
}

function describe(item) {
  const parts = item.reports.map((r) => `${r.reason} ×${r.count} (weight ${r.weight}${r.fresh ? `, ${r.fresh} new` : ""})`);
  if (item.screening.error) parts.push("screening failed: " + item.screening.error);
  else if (item.screening.result && item.screening.result.reason) parts.push("screening hit: " + item.screening.result.reason);
  return parts.join(" · ") || "waiting for a first look";
}

function card(item) {
  const node = el("li", { tabIndex: -1 });
  node.dataset.id = item.image.id;
  const img = el("img", { alt: "image " + item.image.id, width: 120, height: 120 });
  thumbnail(img, item.image.urls.thumb);
  const donor = item.donor ? `donor ${item.donor.id}: ${item.donor.donations}${item.donor.more_donations ? "+" : ""} donations, ${item.donor.removals} removed` : "no donor";
  node.append(el("a", { href: "/images/" + item.image.id }, img),
    el("div", { className: "meta" }, el("strong", { textContent: `${item.kind}${item.reason ? " · " + item.reason : ""}` }),
      el("div", { textContent: describe(item) }), el("div", { className: "muted", textContent: donor })),
    el("div", { className: "actions" },
      el("button", { type: "button", textContent: "Keep", title: "a", onclick: () => decide(node, "keep") }),
      el("button", { type: "button", className: "danger", textContent: "Remove", title: "d", onclick: () => decide(node, "remove") }),
      el("button", { type: "button", className: "danger", textContent: "Remove & revert donor", title: "v",
        onclick: () => decide(node, "remove_and_revert") })));
  node.addEventListener("click", (event) => { if (!event.target.closest("button")) select(node); });
  return node;
}

async function load() {
  const params = new URLSearchParams({ limit: "20" });
  for (const [key, value] of new FormData(filters)) if (value) params.set(key, value);
  if (cursor) params.set("cursor", cursor);
  try {
    const page = await api("/api/v1/moderation/queue?" + params);
    list.append(...page.items.map(card));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    status.textContent = list.children.length ? `${list.children.length}${cursor ? "+" : ""} waiting.` : "Nothing waits.";
    if (!list.querySelector("li.selected")) select(list.firstElementChild);
  } catch (error) { status.textContent = error.message; }
}

function reload() { list.replaceChildren(); cursor = null; load(); }

root.addEventListener("keydown", (event) => {
  const item = event.target.closest("#report-queue li");
  if (!item || event.ctrlKey || event.metaKey || event.altKey) return;
  if (MOVES[event.key]) { if (item[MOVES[event.key]]) select(item[MOVES[event.key]]); event.preventDefault(); }
  else if (KEYS[event.key]) { decide(item, KEYS[event.key]); event.preventDefault(); }
});
filters.addEventListener("change", reload);
more.addEventListener("click", load);
isModerator().then((moderator) => {
  if (!moderator) return;
  root.hidden = false;
  load();
});
