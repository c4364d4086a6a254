// The sidebar's label list (switch between the image's labels) and adding a label from the catalog.
import { api, errorMessage } from "./api.js";

export function renderLabels(list, ed) {
  list.replaceChildren(...ed.items.map((item) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "annotate-label" + (item.id === ed.current.id ? " is-current" : "");
    button.dataset.imageLabelId = item.id;
    const count = item.shapes.length;
    const dirty = ed.isDirty(item) ? " •" : "";
    const note = item.notAnnotatable ? " (can't be annotated)" : "";
    button.textContent = `${item.label} — ${count} shape${count === 1 ? "" : "s"}${dirty}${note}`;
    button.addEventListener("click", () => ed.switchTo(item.id));
    li.append(button);
    return li;
  }));
}

// Every catalog entry by its full name ("dog", "dog/head").
function catalogEntries(document) {
  const entries = new Map();
  for (const label of document.labels || []) {
    entries.set(label.name, label);
    for (const sub of label.sublabels || []) entries.set(sub.name, sub);
  }
  return entries;
}

// Fill the autocomplete list from GET /api/v1/labels, once; returns the entries by name (empty if unread).
export async function loadCatalog(datalist) {
  const result = await api("GET", "/api/v1/labels");
  if (result.status !== 200 || !result.data) return new Map();
  const entries = catalogEntries(result.data);
  datalist.replaceChildren(...[...entries.keys()].map((name) => {
    const option = document.createElement("option");
    option.value = name;
    return option;
  }));
  return entries;
}

// POST the name as a new label of the image; returns the new ImageLabel documents.
export async function addLabel(imageId, name, say) {
  const result = await api("POST", `/api/v1/images/${imageId}/labels`, { labels: [name] });
  if (result.status !== 201) {
    say(errorMessage(result), true);
    return [];
  }
  if (!result.data.labels.length) {
    say(result.data.suggested.length ? `"${name}" is not in the catalog yet; it was suggested.`
      : `The image already has "${name}".`, !result.data.suggested.length);
  }
  return result.data.labels;
}
