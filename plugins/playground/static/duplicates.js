// /moderate's near-duplicate review: clusters of look-alike pictures, each decided by buttons or by the page's one key
// scheme on the selected cluster (j/k or ↓/↑ next/previous, a approve: keep them all, they are different), plus ←/→
// to choose the picture to keep and m to merge into it. Shown to moderators only: for anyone else it stays hidden and
// asks the API nothing. The list is aria-busy while a page loads or a decision is on its way, and keys wait meanwhile.
// The first cluster takes the keyboard focus only when no other queue of the page has it.
import { api, element, isModerator } from "/static/client.js";

const root = document.getElementById("duplicates");
const list = document.getElementById("duplicates-list");
const status = document.getElementById("duplicates-status");
const more = document.getElementById("duplicates-more");
const MOVES = { j: "nextElementSibling", ArrowDown: "nextElementSibling", k: "previousElementSibling",
  ArrowUp: "previousElementSibling" };
let cursor = null;

function busy(value) { list.setAttribute("aria-busy", value ? "true" : "false"); }

function select(item, focus = true) {
  list.querySelectorAll(":scope > li.selected").forEach((other) => other.classList.remove("selected"));
  if (item) { item.classList.add("selected"); if (focus) item.focus(); }
}

function chosen(item) { return item.querySelector("input[type=radio]:checked"); }

function choose(item, input) {
  input.checked = true;
  item.querySelectorAll("label").forEach((label) => label.classList.toggle("chosen", label.contains(input)));
}

function step(item, offset) {
  const inputs = [...item.querySelectorAll("input[type=radio]")];
  const index = inputs.indexOf(chosen(item)) + offset;
  if (index >= 0 && index < inputs.length) choose(item, inputs[index]);
}

async function decide(item, decision) {
  if (list.getAttribute("aria-busy") === "true") return;
  const keep = chosen(item).value;
  busy(true);
  item.querySelectorAll("button").forEach((button) => { button.disabled = true; });
  try {
    await api(`/api/v1/playground/duplicates/${item.dataset.id}/decision`, { method: "POST",
      json: decision === "merge" ? { decision, keep_image_id: keep, reason: "moderation page" }
        : { decision, reason: "moderation page" } }, false);
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    status.textContent = decision === "merge" ? `Cluster ${item.dataset.id} merged into image ${keep}.`
      : `Cluster ${item.dataset.id} kept: the pictures are different.`;
    if (!list.children.length) status.textContent += cursor ? "" : " No more near duplicates.";
    select(next);
  } catch (error) {
    status.textContent = error.message;
    item.querySelectorAll("button").forEach((button) => { button.disabled = false; });
  } finally { busy(false); }
}

function picture(cluster, entry, index) {
  const image = entry.image;
  const labels = image.labels.map((label) => label.label).join(", ") || "no labels";
  const input = element("input", { type: "radio", name: "keep-" + cluster.id, value: image.id, checked: index === 0 });
  const img = element("img", { src: image.urls.thumb, alt: `Image ${image.id}: ${labels}`, width: 140, height: 140 });
  return element("label", { className: index === 0 ? "chosen" : "" }, img,
    element("span", {}, input, ` #${image.id}`),
    element("span", { className: "muted", textContent: `${image.width}×${image.height} · ${labels}` }));
}

function card(cluster) {
  const item = element("li", { tabIndex: -1 });
  item.dataset.id = cluster.id;
  const pictures = element("fieldset", { className: "pictures" },
    element("legend", { className: "muted", textContent: `Cluster ${cluster.id}: ${cluster.images.length} pictures — keep` }),
    ...cluster.images.map((entry, index) => picture(cluster, entry, index)));
  pictures.addEventListener("change", (event) => choose(item, event.target));
  item.append(pictures, element("div", { className: "actions" },
    element("button", { type: "button", textContent: "Merge into the chosen picture", title: "m",
      onclick: () => decide(item, "merge") }),
    element("button", { type: "button", className: "secondary", textContent: "Keep all: they differ", title: "a",
      onclick: () => decide(item, "keep") })));
  item.addEventListener("click", (event) => { if (!event.target.closest("button, input")) select(item); });
  return item;
}

async function load() {
  busy(true);
  const params = new URLSearchParams({ limit: "10" });
  if (cursor) params.set("cursor", cursor);
  try {
    const page = await api("/api/v1/playground/duplicates?" + params, {}, false);
    list.append(...page.clusters.map(card));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    status.textContent = list.children.length ? `${list.children.length}${cursor ? "+" : ""} clusters to review.`
      : "No near duplicates to review.";
    const idle = !document.activeElement || document.activeElement === document.body;
    if (!list.querySelector(":scope > li.selected")) select(list.firstElementChild, idle);
  } catch (error) { status.textContent = error.message; } finally { busy(false); }
}

root.addEventListener("keydown", (event) => {
  const item = event.target.closest("#duplicates-list > li");
  if (!item || event.ctrlKey || event.metaKey || event.altKey || list.getAttribute("aria-busy") === "true") return;
  const native = event.target.matches("input") && event.key.startsWith("Arrow");  // radios move by themselves
  if (MOVES[event.key] && !native) { if (item[MOVES[event.key]]) select(item[MOVES[event.key]]); }
  else if ((event.key === "ArrowLeft" || event.key === "ArrowRight") && !native) step(item, event.key === "ArrowLeft" ? -1 : 1);
  else if (event.key === "m") decide(item, "merge");
  else if (event.key === "a") decide(item, "keep");
  else return;
  event.preventDefault();
});
more.addEventListener("click", load);
isModerator().then((moderator) => {
  if (!moderator) return;
  root.hidden = false;
  load();
});
