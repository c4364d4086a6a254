// /moderate's "Label suggestions": names people wanted that the catalog lacks, most used first, each with a parent
// field and a Promote button (POST /api/v1/label-suggestions/{name}/promote). Only moderators' browsers load it.
import { api, element, isModerator, storedToken } from "./client.js";

const section = document.getElementById("suggestions");
const list = document.getElementById("suggestion-list");
const status = document.getElementById("suggestions-status");
const more = document.getElementById("suggestions-more");
let cursor = null;

async function promote(item, name, parent) {
  const button = item.querySelector("button");
  button.disabled = true;
  try {
    const answer = await api(`/api/v1/label-suggestions/${encodeURIComponent(name)}/promote`,
      { method: "POST", json: { is_a: parent } }, false);
    item.remove();
    status.textContent = `"${name}" is a catalog label now (a kind of ${parent}); ${answer.images} picture${answer.images === 1 ? "" : "s"} got it.`;
  } catch (error) {
    status.textContent = error.message;
    button.disabled = false;
  }
}

function row(suggestion) {
  const item = element("li");
  const field = element("input", { type: "text", required: true, placeholder: "parent, e.g. animal",
                                   ariaLabel: `Parent of ${suggestion.name}` });
  const form = element("form", { className: "actions" }, field, element("button", { type: "submit", textContent: "Promote" }));
  form.addEventListener("submit", (event) => { event.preventDefault(); promote(item, suggestion.name, field.value.trim()); });
  item.append(element("strong", { textContent: suggestion.name }),
    element("span", { className: "muted", textContent: ` · suggested ${suggestion.usage_count}×` }), form);
  return item;
}

async function load() {
  const params = new URLSearchParams({ limit: "20" });
  if (cursor) params.set("cursor", cursor);
  const page = await api("/api/v1/label-suggestions?" + params, {}, false);
  list.append(...page.suggestions.map(row));
  cursor = page.next_cursor;
  more.hidden = !cursor;
  status.textContent = list.children.length ? "" : "No label suggestions.";
}

async function start() {
  if (!storedToken() || !(await isModerator())) return;
  section.hidden = false;
  await load();
}

more.addEventListener("click", load);
start().catch((error) => { status.textContent = error.message; });
