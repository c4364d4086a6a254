// Refine: one property question at a time ("What color is this dog?"), answered with a tap or a number key.
import { api } from "/static/client.js";

const $ = (id) => document.getElementById(id);
const section = document.querySelector(".refine");
const state = { task: null, label: section.dataset.label, answered: 0, busy: false };

// While an answer is sent or the next question fetched, keys and taps are ignored; aria-busy says so to assistive
// technology (and to the end-to-end tests, which wait for it before answering the next question).
function setBusy(busy) {
  state.busy = busy;
  section.setAttribute("aria-busy", String(busy));
}

function show(task) {
  state.task = task;
  const picture = $("picture");
  const choices = $("choices");
  choices.replaceChildren();
  if (!task) {
    $("question").textContent = "Nothing left to refine right now. Thank you!";
    picture.hidden = true;
  } else {
    $("question").textContent = `What ${task.property} is this ${task.label}?`;
    picture.src = task.image.urls.medium;
    picture.alt = task.label;
    picture.hidden = false;
    task.choices.slice(0, 9).forEach((value, i) => {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.value = value;
      button.append(value + " ");
      const key = document.createElement("kbd");
      key.textContent = String(i + 1);
      button.append(key);
      button.addEventListener("click", () => answer(value));
      choices.append(button);
    });
  }
  section.classList.toggle("is-done", !task);
  setBusy(false);
}

async function next() {
  setBusy(true);
  const params = new URLSearchParams({ kind: "refine" });
  if (state.label) params.set("label", state.label);
  try {
    const body = await api("/api/v1/tasks/next?" + params);
    show(body ? body.task : null);
  } catch (error) {
    $("status").textContent = error.message;
    setBusy(false);
  }
}

async function answer(value) {
  const task = state.task;
  if (!task || state.busy) return;
  setBusy(true);
  try {
    if (value) {
      await api(`/api/v1/image-labels/${task.image_label}/properties`,
        { method: "POST", json: { property: task.property, value } });
      state.answered += 1;
      $("progress").textContent = `${state.answered} answered`;
      $("status").textContent = "";
    }
  } catch (error) {
    $("status").textContent = error.message;
  }
  await next();
}

document.addEventListener("keydown", (event) => {
  if (event.target.tagName === "INPUT" || event.ctrlKey || event.metaKey || event.altKey || !state.task) return;
  const index = Number.parseInt(event.key, 10);
  if (index >= 1 && index <= Math.min(9, state.task.choices.length)) answer(state.task.choices[index - 1]);
  else if (event.key.toLowerCase() === "s") answer(null);
});
next();
