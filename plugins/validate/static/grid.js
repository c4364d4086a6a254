// Grid mode: up to nine pictures for one label; ticked ones are "yes", the others "no".
import { api, fillLabels } from "./client.js";

const $ = (id) => document.getElementById(id);
let items = [];

async function load(label) {
  $("status").textContent = "";
  try {
    const body = await api("/api/v1/tasks/grid?" + new URLSearchParams({ label, n: "9" }));
    items = body.items;
    $("question").textContent = items.length ? body.question : `Nothing left to validate for "${body.label}".`;
    $("grid").replaceChildren(...items.map((item, index) => {
      const box = Object.assign(document.createElement("input"), { type: "checkbox", id: "pick-" + index });
      const img = Object.assign(document.createElement("img"), { src: item.image.urls.thumb, alt: body.label, loading: "lazy" });
      const wrap = document.createElement("label");
      wrap.append(box, img);
      return wrap;
    }));
    $("send").disabled = !items.length;
    $("send").hidden = !items.length;  // nothing to answer: no instructions, no button
    $("instructions").hidden = !items.length;
  } catch (error) {
    $("status").textContent = error.message;
  }
}

$("send").addEventListener("click", async () => {
  $("send").disabled = true;
  const votes = items.map((item, index) => ({ image_label_id: item.image_label.id, vote: $("pick-" + index).checked ? "yes" : "no" }));
  try {
    await api("/api/v1/votes", { method: "POST", body: JSON.stringify({ votes }) });
    await load($("label").value.trim());
  } catch (error) {
    $("status").textContent = error.message;
  }
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
