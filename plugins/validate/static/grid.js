// Grid mode: up to nine pictures for one label (its image labels and look-alike questions); ticked ones are "yes",
// the others "no".
import { tileSlots, WITHDRAWN_EVENT } from "/static/slots.js";
import { api, fillLabels } from "./client.js";

const $ = (id) => document.getElementById(id);
const slotsFor = tileSlots($("tile-slots"));  // page slots (a Report button) under each picture
let items = [];  // {image, kind, subject_id, question, box}: the pictures still to answer

function tile(item, label, question) {
  const img = Object.assign(document.createElement("img"), { src: item.image.urls.thumb, alt: label, loading: "lazy" });
  const pick = Object.assign(document.createElement("label"), { className: "validate-pick" });
  pick.append(item.box, img);
  if (item.question !== question) {  // a look-alike question ("Does this one show a dog too?") says so on its tile
    pick.append(Object.assign(document.createElement("span"), { className: "validate-tile-question", textContent: item.question }));
  }
  const wrap = Object.assign(document.createElement("div"), { className: "validate-tile" });
  wrap.dataset.imageId = item.image.id;
  wrap.append(pick, slotsFor());
  return wrap;
}

async function load(label) {
  $("status").textContent = "";
  try {
    const body = await api("/api/v1/tasks/grid?" + new URLSearchParams({ label, n: "9" }));
    items = body.items.map((item, index) => ({ ...item, box: Object.assign(document.createElement("input"), { type: "checkbox", id: "pick-" + index }) }));
    $("question").textContent = items.length ? body.question : `Nothing left to validate for "${body.label}".`;
    $("grid").replaceChildren(...items.map((item) => tile(item, body.label, body.question)));
    $("send").disabled = !items.length;
    $("send").hidden = !items.length;  // nothing to answer: no instructions, no button
    $("instructions").hidden = !items.length;
  } catch (error) {
    $("status").textContent = error.message;
  }
}

$("send").addEventListener("click", async () => {
  $("send").disabled = true;
  const votes = items.map((item) => ({ kind: item.kind, subject_id: item.subject_id, vote: item.box.checked ? "yes" : "no" }));
  try {
    await api("/api/v1/votes", { method: "POST", body: JSON.stringify({ votes }) });
    await load($("label").value.trim());
  } catch (error) {
    $("status").textContent = error.message;
  }
});
// a page slot took a picture out of my tasks (say, I reported it): it leaves the grid and gets no answer;
// its tile keeps the slot's confirmation
$("grid").addEventListener(WITHDRAWN_EVENT, (event) => {
  const wrap = event.target.closest(".validate-tile");
  if (!wrap || wrap.dataset.imageId !== event.detail.image_id) return;
  items = items.filter((item) => String(item.image.id) !== event.detail.image_id);
  wrap.querySelector(".validate-pick").remove();
  wrap.classList.add("is-withdrawn");
  if (!items.length) ["send", "instructions"].forEach((id) => { $(id).hidden = true; });  // "Show" loads more
});
$("chooser").addEventListener("submit", (event) => {
  event.preventDefault();
  const label = $("label").value.trim();
  history.replaceState(null, "", "?label=" + encodeURIComponent(label));
  load(label);
});
fillLabels($("label-options"));
const initial = document.querySelector(".validate-grid-page").dataset.label;
if (initial) load(initial);
