// The playground page: predict a dropped/picked/dataset picture, show bars, donate corrections, show the history
// (a table, and the mAP-against-labels chart drawn with the site's chart module).
import { drawChart } from "/static/charts.js";
import { token } from "/static/client.js";
const $ = (id) => document.getElementById(id);
let current = null; // {file} or {imageId}

async function call(path, options = {}) {
  const headers = { Authorization: "Bearer " + (await token()), ...(options.headers || {}) };
  const response = await fetch(path, { ...options, headers });
  const body = response.status === 204 ? null : await response.json();
  if (!response.ok) {
    throw Object.assign(new Error(body && body.error ? body.error.message : "HTTP " + response.status),
      { code: body && body.error ? body.error.code : null });
  }
  return body;
}

const COLUMNS = [...document.querySelectorAll(".playground-history thead th")].map((th) => th.textContent.trim());
const NO_MODEL = "No model is active yet: a moderator trains one below.";

// The panel's one line about the model: no model, or waiting for a picture (a prediction replaces it).
function showModelState(active) {
  $("model-line").textContent = active ? "No picture yet." : NO_MODEL;
}

function showPredictions(answer) {
  $("model-line").textContent = `Model version ${answer.model.version} · ${answer.ms} ms`;
  $("bars").replaceChildren(...answer.predictions.map((p) => {
    const item = document.createElement("li");
    const name = Object.assign(document.createElement("span"), { textContent: p.label });
    const bar = Object.assign(document.createElement("progress"), { max: 1, value: p.probability });
    bar.setAttribute("aria-label", p.label);
    const percent = Object.assign(document.createElement("span"), { textContent: Math.round(p.probability * 100) + "%" });
    item.append(name, bar, percent);
    return item;
  }));
  $("wrong").hidden = false;
  $("right-labels").value = answer.predictions.filter((p) => p.probability >= 0.5).map((p) => p.label).join(", ");
}

async function predict(body, headers = {}) {
  $("status").textContent = "Looking…";
  try {
    showPredictions(await call("/api/v1/playground/predictions", { method: "POST", body, headers }));
    $("status").textContent = "";
  } catch (error) {
    $("bars").replaceChildren();
    $("wrong").hidden = true;
    if (error.code === "no_model") {  // said once, in the model line
      showModelState(false);
      $("status").textContent = "";
    } else {
      $("status").textContent = error.message;
    }
  }
}

function predictFile(file) {
  current = { file };
  $("preview").src = URL.createObjectURL(file);
  $("preview").hidden = false;
  $("drop-text").hidden = true;
  const form = new FormData();
  form.append("image", file);
  predict(form);
}

function predictImage(image) {
  current = { imageId: image.id };
  $("preview").src = image.urls.medium;
  $("preview").hidden = false;
  $("drop-text").hidden = true;
  predict(JSON.stringify({ image_id: image.id }), { "Content-Type": "application/json" });
}

async function showDataset() {
  const response = await fetch("/api/v1/images?limit=24");
  if (!response.ok) return;
  const images = (await response.json()).images;
  $("dataset").replaceChildren(...images.map((image) => {
    const button = document.createElement("button");
    button.type = "button";
    button.append(Object.assign(document.createElement("img"), { src: image.urls.thumb, alt: "Image " + image.id }));
    button.addEventListener("click", () => predictImage(image));
    return button;
  }));
}

async function donateCorrection(event) {
  event.preventDefault();
  const labels = $("right-labels").value.split(",").map((s) => s.trim()).filter(Boolean);
  if (!current || !labels.length) return;
  try {
    if (current.file) {
      const form = new FormData();
      form.append("image", current.file);
      for (const label of labels) form.append("label", label);
      await call("/api/v1/images", { method: "POST", body: form });
    } else {
      await call(`/api/v1/images/${current.imageId}/labels`, {
        method: "POST", body: JSON.stringify({ labels }), headers: { "Content-Type": "application/json" } });
    }
    $("status").textContent = "Thank you: donated with " + labels.join(", ") + ".";
  } catch (error) {
    $("status").textContent = error.message;
  }
}

async function showHistory() {
  const response = await fetch("/api/v1/playground/models?limit=50");
  if (!response.ok) {
    if (!current) showModelState(true);  // unknown: the prediction will say
    return;
  }
  const models = (await response.json()).models;
  const rows = models.map((m) => {
    const row = document.createElement("tr");
    if (m.status === "active") row.className = "active";
    const cells = [m.version, m.labels ? m.labels.length : "–", m.snapshot.image_labels ?? "–", m.snapshot.images ?? "–",
      m.map === null ? "–" : m.map.toFixed(3), m.status + (m.pinned ? " (pinned)" : "")];
    row.append(...cells.map((text, i) => {  // each cell names its column: a phone shows the rows as cards
      const cell = Object.assign(document.createElement("td"), { textContent: String(text) });
      cell.dataset.title = COLUMNS[i];
      return cell;
    }));
    const action = document.createElement("td");
    if (m.status === "ready") {
      const button = Object.assign(document.createElement("button"), { type: "button", textContent: "Activate" });
      button.addEventListener("click", () => activate(m.id));
      action.append(button);
    }
    row.append(action);
    return row;
  });
  if (!rows.length) {
    const row = document.createElement("tr");
    row.append(Object.assign(document.createElement("td"), { colSpan: 7, textContent: "No model yet." }));
    rows.push(row);
  }
  $("history").replaceChildren(...rows);
  if (!current) showModelState(models.some((m) => m.status === "active"));
  showChart(models);
}

// Each trained version (oldest first) as a point: the image labels it learnt from against its validation mAP.
function showChart(models) {
  const points = models.filter((m) => m.map !== null && m.snapshot.image_labels != null).reverse();
  $("map-chart").hidden = !points.length;
  if (!points.length) return;
  const chart = drawChart($("map-canvas"), {
    kind: "xy", x: points.map((m) => m.snapshot.image_labels), xTitle: "Image labels learnt from", yTitle: "validation mAP",
    series: [{ name: "mAP", values: points.map((m) => m.map) }], names: points.map((m) => "Version " + m.version),
  });
  $("map-chart").dataset.points = String(chart.data.datasets[0].data.length);
}

async function activate(id) {
  try {
    await call(`/api/v1/playground/models/${id}/activate`, { method: "POST" });
    showHistory();
  } catch (error) {
    $("train-status").textContent = error.message;
  }
}

async function train() {
  try {
    const queued = await call("/api/v1/playground/models", { method: "POST" });
    $("train-status").textContent = `Version ${queued.model.version} queued.`;
    const poll = async () => {
      const job = await call(`/api/v1/jobs/${queued.job.id}`);
      $("train-status").textContent = `Version ${queued.model.version}: ${job.state} ${Math.round(job.progress * 100)}% ${job.message || ""}`;
      if (job.state === "queued" || job.state === "running") setTimeout(poll, 1000);
      else showHistory();
    };
    poll();
  } catch (error) {
    $("train-status").textContent = error.message;
  }
}

async function fillLabels() {
  const response = await fetch("/api/v1/labels");
  if (!response.ok) return;
  const names = (await response.json()).labels.map((label) => label.name);
  $("label-options").replaceChildren(...names.map((name) => Object.assign(document.createElement("option"), { value: name })));
}

const drop = $("drop");
drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  if (event.dataTransfer.files.length) predictFile(event.dataTransfer.files[0]);
});
$("file").addEventListener("change", () => { if ($("file").files.length) predictFile($("file").files[0]); });
$("from-dataset").addEventListener("click", showDataset);
$("wrong-form").addEventListener("submit", donateCorrection);
$("train").addEventListener("click", train);
showHistory();
fillLabels();
