// The question game: one question at a time, answered with a tap or a key (y / n / u, s to skip).
import { drawOutline } from "/static/outlines.js";
import { announceAnswer, showImage, WITHDRAWN_EVENT } from "/static/slots.js";
import { api, fillLabels } from "./client.js";

const $ = (id) => document.getElementById(id);
const buttons = [...document.querySelectorAll(".validate-buttons button")];
const section = document.querySelector(".validate");
const state = { task: null, label: section.dataset.label, answered: 0, skipped: [], busy: false };

function show(task) {
  state.task = task;
  const picture = $("picture");
  if (!task) {
    $("question").textContent = state.label ? `Nothing left to validate for "${state.label}". Try another label.` : "Nothing left to validate right now. Thank you!";
    picture.hidden = true;
  } else {
    $("question").textContent = task.question;
    picture.src = task.image.urls.medium;
    picture.alt = task.label;
    picture.hidden = false;
  }
  // an outline question shows the outline being judged over the picture
  $("outline").replaceChildren();
  if (task && task.annotation) drawOutline($("outline"), task.image.width, task.image.height, task.annotation.shapes, "#c2571a", task.label);
  buttons.forEach((b) => { b.disabled = !task; });
  section.classList.toggle("is-done", !task);  // nothing to answer: no picture, no buttons (validate.css)
  state.busy = false;
  showImage(section, task ? task.image.id : null);  // page slots (a Report button) follow the picture
}

async function next() {
  state.busy = true;
  const params = new URLSearchParams({ kind: "validate" });
  if (state.label) params.set("label", state.label);
  if (state.skipped.length) params.set("skip", state.skipped.slice(-50).join(","));
  try {
    const body = await api("/api/v1/tasks/next?" + params);
    show(body ? body.task : null);
  } catch (error) {
    $("status").textContent = error.message;
    state.busy = false;
  }
}

async function answer(vote) {
  const task = state.task;
  if (!task || state.busy) return;
  state.busy = true;
  buttons.forEach((b) => { b.disabled = true; });
  state.skipped.push(`${task.subject_kind}:${task.subject_id}`);
  try {
    if (vote) {
      await api("/api/v1/votes", { method: "POST", body: JSON.stringify({ votes: [{ kind: task.subject_kind, subject_id: task.subject_id, vote }] }) });
      state.answered += 1;
      $("progress").textContent = `${state.answered} answered`;
      $("status").textContent = "";
      if (vote === "yes" && task.subject_kind === "image_label") {  // page slots may follow up (refine's step)
        announceAnswer(section, { imageId: task.image.id, imageLabelId: task.subject_id, label: task.label,
          answer: "yes", thumb: task.image.urls.thumb });
      }
    }
  } catch (error) {
    $("status").textContent = error.message;
  }
  await next();
}

buttons.forEach((b) => b.addEventListener("click", () => answer(b.dataset.vote || null)));
// a page slot took this picture out of my tasks (say, I reported it): on to the next question
section.addEventListener(WITHDRAWN_EVENT, (event) => {
  if (state.task && String(state.task.image.id) === event.detail.image_id) answer(null);
});
document.addEventListener("keydown", (event) => {
  if (event.target.tagName === "INPUT" || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest(".slot")) return;  // keys inside a page slot (the Report form) are the slot's
  const vote = { y: "yes", n: "no", u: "unsure" }[event.key.toLowerCase()];
  if (vote) answer(vote);
  else if (event.key.toLowerCase() === "s") answer(null);
});
$("chooser").addEventListener("submit", (event) => {
  event.preventDefault();
  state.label = $("label").value.trim();
  const url = new URL(location.href);
  if (state.label) url.searchParams.set("label", state.label); else url.searchParams.delete("label");
  history.replaceState(null, "", url);
  $("grid-link").href = "/validate/grid" + (state.label ? "?label=" + encodeURIComponent(state.label) : "");
  next();
});
fillLabels($("label-options"));
next();
