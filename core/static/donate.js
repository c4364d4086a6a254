// /donate: several pictures at once, labels with the catalog's autocomplete, and each upload's result.
import { element, fillLabels, token } from "./client.js";

const form = document.getElementById("donate");
const files = document.getElementById("files");
const drop = document.getElementById("drop");
const input = document.getElementById("label-input");
const chosen = document.getElementById("labels");
const results = document.getElementById("results");
const labels = [];

function addLabel() {
  const name = input.value.trim().toLowerCase();
  input.value = "";
  if (!name || labels.includes(name)) return;
  labels.push(name);
  const remove = element("button", { type: "button", className: "chip-remove", textContent: "×", title: "Remove " + name });
  const chip = element("li", {}, name + " ", remove);
  remove.addEventListener("click", () => { labels.splice(labels.indexOf(name), 1); chip.remove(); });
  chosen.append(chip);
}

async function upload(file, bearer) {
  const row = element("li", { className: "pending" }, element("strong", { textContent: file.name }), " — sending…");
  results.append(row);
  const body = new FormData();
  body.append("image", file, file.name);
  for (const name of labels) body.append("label", name);
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
  if (answer.image && labels.length) extra.push(" · labels now: " + (added.join(", ") || "none"));
  if (answer.suggested && answer.suggested.length) extra.push(" · new names suggested to the catalog: " + answer.suggested.join(", "));
  row.replaceChildren(element("strong", { textContent: file.name }), text, link, ...extra);
}

async function send(list) {
  if (input.value.trim()) addLabel();
  if (!list.length) { results.append(element("li", { className: "refused", textContent: "Choose at least one picture." })); return; }
  const bearer = await token();
  for (const file of list) await upload(file, bearer);  // one at a time: results in order, no burst on the server
  form.reset();
}

document.getElementById("add-label").addEventListener("click", addLabel);
input.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); addLabel(); } });
form.addEventListener("submit", (event) => { event.preventDefault(); send([...files.files]); });
drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => { event.preventDefault(); drop.classList.remove("over"); send([...event.dataTransfer.files]); });
fillLabels(document.getElementById("catalog"));
