// /donate: several pictures at once, labels with the catalog's autocomplete, and each upload's result.
// Labels belong to one donation: they are cleared with the picked files once it is sent.
import { element, fillLabels, token } from "./client.js";

const form = document.getElementById("donate");
const files = document.getElementById("files");
const filesError = document.getElementById("files-error");
const drop = document.getElementById("drop");
const input = document.getElementById("label-input");
const chosen = document.getElementById("labels");
const results = document.getElementById("results");
const labels = [];  // the names sent: the catalog's name where the typed one is a name or an alias of it
// the catalog read once for the autocomplete; a label added before it arrives waits for it
const resolving = fillLabels(document.getElementById("catalog")).then(resolver, () => () => null);

// What the server saves a typed name as, like its Catalog.resolve: a name or an alias (any case, "parent/part"
// too), or null for a name the catalog lacks (sent as typed, and suggested to the catalog).
function resolver(catalog) {
  const names = new Set();
  const aliases = new Map();
  for (const label of catalog) {
    names.add(label.name);
    for (const alias of label.aliases) aliases.set(alias, label.name);
    for (const sub of label.sublabels || []) names.add(sub.name);
  }
  return (typed) => {
    const key = typed.split(/\s+/).filter(Boolean).join(" ");
    if (names.has(key)) return key;
    if (key.includes("/")) {
      const [parent, ...part] = key.split("/");
      const full = (aliases.get(parent) || parent) + "/" + part.join("/");
      return names.has(full) ? full : null;
    }
    return aliases.get(key) || null;
  };
}

async function addLabel() {
  const typed = input.value.trim().toLowerCase();
  input.value = "";
  if (!typed) return;
  const name = (await resolving)(typed) || typed;
  if (labels.includes(name)) return;
  labels.push(name);
  const remove = element("button", { type: "button", className: "chip-remove", textContent: "×", title: "Remove " + name });
  const chip = element("li", {}, (name === typed ? name : `${name} (${typed})`) + " ", remove);
  remove.addEventListener("click", () => { labels.splice(labels.indexOf(name), 1); chip.remove(); });
  chosen.append(chip);
}

function clearLabels() {
  labels.length = 0;
  chosen.replaceChildren();
}

function showError(message) {
  filesError.textContent = message;
  filesError.hidden = !message;
  if (message) files.setAttribute("aria-invalid", "true"); else files.removeAttribute("aria-invalid");
}

async function upload(file, bearer, names) {
  const row = element("li", { className: "pending" }, element("strong", { textContent: file.name }), " — sending…");
  results.append(row);
  const body = new FormData();
  body.append("image", file, file.name);
  for (const name of names) body.append("label", name);
  const response = await fetch("/api/v1/images", { method: "POST", headers: { Authorization: "Bearer " + bearer }, body });
  const answer = await response.json().catch(() => ({}));
  row.className = response.status === 201 ? "new" : response.ok ? "duplicate" : "refused";
  const link = answer.image ? element("a", { href: "/images/" + answer.image.id, textContent: "image " + answer.image.id }) : "";
  let text;
  if (response.status === 201) text = " — new: ";
  else if (response.ok) text = " — duplicate of ";
  else text = " — refused: " + (answer.error ? answer.error.message : "HTTP " + response.status);
  const added = answer.image ? answer.image.labels.map((label) => label.label) : [];
  const extra = [];
  if (answer.image && names.length) extra.push(" · labels now: " + (added.join(", ") || "none"));
  if (answer.suggested && answer.suggested.length) extra.push(" · new names suggested to the catalog: " + answer.suggested.join(", "));
  row.replaceChildren(element("strong", { textContent: file.name }), text, link, ...extra);
}

async function send(list) {
  if (input.value.trim()) await addLabel();
  if (!list.length) { showError("Choose at least one picture."); files.focus(); return; }
  showError("");
  document.getElementById("results-section").hidden = false;
  const names = [...labels];
  form.reset();
  clearLabels();  // the next batch starts without labels, as its empty file picker shows
  const bearer = await token();
  for (const file of list) await upload(file, bearer, names);  // one at a time: results in order, no burst on the server
}

document.getElementById("add-label").addEventListener("click", addLabel);
// /donate?label=dog (the image hunt's links): that label's chip is there already
const wanted = new URLSearchParams(location.search).get("label");
if (wanted) { input.value = wanted; addLabel(); }
input.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); addLabel(); } });
files.addEventListener("change", () => showError(""));
form.addEventListener("submit", (event) => { event.preventDefault(); send([...files.files]); });
drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => { event.preventDefault(); drop.classList.remove("over"); send([...event.dataTransfer.files]); });
