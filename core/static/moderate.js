// /moderate: the pending-donation queue for moderators, with buttons and the page's keys (j/k or ↓/↑ move,
// a approve, d remove: the same in the plugins' queues on the page). A visitor is asked to log in; nothing is called
// without a token, and only moderators' browsers ask for a queue.
import { api, element, isModerator, showWithToken, storedToken, timeElement } from "./client.js";

const status = document.getElementById("moderate-status");
const section = document.getElementById("pending");
const queue = document.getElementById("queue");
const more = document.getElementById("load-more");
const MOVES = { j: "next", ArrowDown: "next", k: "previous", ArrowUp: "previous" };
const DECISIONS = { a: "public", d: "removed" };
let cursor = null;

function selected() { return queue.querySelector("li.selected"); }

function select(item) {
  for (const other of queue.querySelectorAll("li.selected")) other.classList.remove("selected");
  if (item) { item.classList.add("selected"); item.focus(); }
}

async function decide(item, newStatus) {
  const buttons = item.querySelectorAll("button");
  buttons.forEach((button) => { button.disabled = true; });
  try {
    await api(`/api/v1/images/${item.dataset.id}/status`, { method: "POST", json: { status: newStatus, reason: "moderation page" } }, false);
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    status.textContent = `Image ${item.dataset.id} ${newStatus === "public" ? "unlocked" : "removed"}.`;
    select(next);
    if (!queue.children.length) status.textContent += " The queue is empty.";
  } catch (error) {
    status.textContent = error.message;
    buttons.forEach((button) => { button.disabled = false; });
  }
}

function card(image) {
  const item = element("li", { tabIndex: -1 });
  item.dataset.id = image.id;
  const labels = image.labels.map((label) => label.label).join(", ") || "no labels";
  const source = image.page_url || image.source_url;
  const thumb = element("img", { alt: labels, width: 120, height: 120 });
  showWithToken(thumb, image.urls.thumb);
  item.append(
    element("a", { href: "/images/" + image.id }, thumb),
    element("div", { className: "meta" },
      element("strong", { textContent: labels }),
      element("span", { className: "muted" }, ` · ${image.width}×${image.height} · donated `, timeElement(image.created_at)),
      ...(source ? [element("a", { href: source, rel: "noopener noreferrer", target: "_blank", textContent: " · source" })] : [])),
    element("div", { className: "actions" },
      element("button", { textContent: "Unlock", title: "a", onclick: () => decide(item, "public") }),
      element("button", { className: "danger", textContent: "Remove", title: "d", onclick: () => decide(item, "removed") })));
  item.addEventListener("click", (event) => { if (event.target.tagName !== "BUTTON") select(item); });
  return item;
}

async function load() {
  const params = new URLSearchParams({ status: "pending", limit: "20" });
  if (cursor) params.set("cursor", cursor);
  const page = await api("/api/v1/images?" + params, {}, false);
  queue.append(...page.images.map(card));
  cursor = page.next_cursor;
  more.hidden = !cursor;
  if (!selected()) select(queue.firstElementChild);
  status.textContent = queue.children.length ? `${queue.children.length}${cursor ? "+" : ""} pending` : "No pending donations.";
}

async function start() {
  if (!storedToken()) { status.replaceChildren("Moderators only: ", element("a", { href: "/login?next=/moderate", textContent: "log in" }), "."); return; }
  if (!(await isModerator())) {
    status.replaceChildren("Moderators only: ", element("a", { href: "/login?next=/moderate", textContent: "log in as a moderator" }), ".");
    return;
  }
  document.getElementById("moderate-keys").hidden = false;
  section.querySelector("h2").after(status);  // from here on it tells about the queue: under its heading
  section.hidden = false;
  await load();
}

more.addEventListener("click", load);
document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target !== document.body && !queue.contains(event.target)) return;  // another queue's item has the keys
  const item = selected();
  if (MOVES[event.key] === "next") select(item ? item.nextElementSibling || item : queue.firstElementChild);
  else if (MOVES[event.key] === "previous") select(item ? item.previousElementSibling || item : queue.firstElementChild);
  else if (DECISIONS[event.key] && item) decide(item, DECISIONS[event.key]);
  else return;
  event.preventDefault();
});
start().catch((error) => { status.textContent = error.message; });
