// The browse page: more tiles as you scroll (keyset cursors from the API) and a live count while you type a query.
// A tile built here gets the same page slots (a Report button, say) as the server's: a copy of #tile-slots.
import { tileSlots } from "/static/slots.js";

const slotsFor = tileSlots(document.getElementById("tile-slots"));
const results = document.getElementById("results");
const more = document.getElementById("more");
const input = document.getElementById("q");
const status = document.getElementById("query-status");

function tile(image) {
  const item = document.createElement("li");
  item.className = "tile";
  item.dataset.imageId = image.id;  // the picture of the tile's slots (imageOf in /static/slots.js)
  const link = Object.assign(document.createElement("a"), { href: "/images/" + image.id });
  const names = image.labels.map((label) => label.label);
  link.append(Object.assign(document.createElement("img"), {
    src: image.urls.thumb, loading: "lazy", width: 160, height: 160, alt: names.join(", ") || "an unlabeled image",
  }));
  const chips = Object.assign(document.createElement("ul"), { className: "chips small" });
  for (const label of image.labels) {
    const chip = Object.assign(document.createElement("li"), { textContent: label.label, title: label.state || "" });
    chip.className = "state-" + (label.state || "none");
    chips.append(chip);
  }
  item.append(link, chips, slotsFor());
  return item;
}

let loading = false;
async function loadMore() {
  const cursor = results.dataset.next;
  if (loading || !cursor) return;
  loading = true;
  const params = new URLSearchParams({ cursor, limit: "50" });
  if (results.dataset.query) params.set("q", results.dataset.query);
  if (results.dataset.order) params.set("order", results.dataset.order);
  try {
    const response = await fetch("/api/v1/images?" + params);
    const page = await response.json();
    if (!response.ok) throw new Error(page.error ? page.error.message : "HTTP " + response.status);
    results.append(...page.images.map(tile));
    results.dataset.next = page.next_cursor || "";
    if (!page.next_cursor) more.replaceChildren();
  } catch (error) {
    more.textContent = "Could not load more: " + error.message;
  } finally {
    loading = false;
  }
}

if (results && more) {
  more.replaceChildren(results.dataset.next ? Object.assign(document.createElement("span"), { textContent: "Loading more…" }) : "");
  new IntersectionObserver((entries) => { if (entries.some((entry) => entry.isIntersecting)) loadMore(); },
    { rootMargin: "400px" }).observe(more);
}

let timer = null;
let asked = 0;
async function countMatches() {
  const query = input.value.trim();
  const mine = ++asked;
  if (!query) { status.textContent = ""; return; }
  const response = await fetch("/api/v1/images/count?" + new URLSearchParams({ q: query }));
  const body = await response.json();
  if (mine !== asked) return;  // a newer keystroke has asked since
  if (!response.ok) {
    const span = Object.assign(document.createElement("span"), { className: "error", textContent: body.error.message });
    status.replaceChildren(span);
    if (typeof body.error.position === "number") input.setSelectionRange(body.error.position, input.value.length);
    return;
  }
  const n = body.count.toLocaleString("en");
  status.textContent = `${n}${body.capped ? "+" : ""} image${body.count === 1 ? "" : "s"} match${body.count === 1 ? "es" : ""}`;
}

input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(countMatches, 250); });
