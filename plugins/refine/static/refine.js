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

const SVG = "http://www.w3.org/2000/svg";

// The outlined object a task is about, drawn over the picture (image pixels: the viewBox is the image's size).
function drawOutline(task) {
  const svg = $("outline");
  svg.replaceChildren();
  const shown = Boolean(task && task.shape);
  svg.toggleAttribute("hidden", !shown); // an SVG element's hidden attribute has no DOM property to set
  if (!shown) return;
  const shape = task.shape;
  svg.setAttribute("viewBox", `0 0 ${task.image.width} ${task.image.height}`);
  svg.setAttribute("preserveAspectRatio", "none");
  for (const cls of ["shape-halo", "shape"]) {
    let element;
    if (shape.type === "rect") {
      element = document.createElementNS(SVG, "rect");
      for (const key of ["x", "y", "width", "height"]) element.setAttribute(key, shape[key]);
    } else if (shape.type === "ellipse") {
      element = document.createElementNS(SVG, "ellipse");
      for (const key of ["cx", "cy", "rx", "ry"]) element.setAttribute(key, shape[key]);
    } else {
      element = document.createElementNS(SVG, "polygon");
      element.setAttribute("points", shape.points.map((point) => point.join(",")).join(" "));
    }
    element.setAttribute("class", cls);
    svg.append(element);
  }
}

// A choice's button: its value, its number key and a few small pictures whose settled value it is (lazy).
function choiceButton(task, value, index, pictures) {
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.value = value;
  const text = document.createElement("span");
  text.append(value + " ");
  const key = document.createElement("kbd");
  key.textContent = String(index + 1);
  text.append(key);
  button.append(text);
  if (pictures.length) {
    const strip = document.createElement("span");
    strip.className = "refine-examples";
    for (const picture of pictures) {
      const img = document.createElement("img");
      img.loading = "lazy";
      img.decoding = "async";
      img.src = picture.url;
      img.alt = `a ${value} ${task.label}`;
      img.width = 42;
      img.height = 42;
      strip.append(img);
    }
    button.append(strip);
  }
  button.addEventListener("click", () => answer(value));
  return button;
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
    const which = task.shape ? `${task.label} in the outline` : task.label;
    $("question").textContent = `What ${task.property} is this ${which}?`;
    picture.src = task.image.urls.medium;
    picture.alt = task.shape ? `${task.label}, outlined` : task.label;
    picture.hidden = false;
    const examples = new Map((task.examples || []).map((item) => [item.value, item.images]));
    task.choices.slice(0, 9).forEach((value, i) => {
      choices.append(choiceButton(task, value, i, examples.get(value) || []));
    });
  }
  drawOutline(task);
  section.classList.toggle("is-done", !task);
  section.dataset.task = task ? (task.shape ? `shape-${task.shape.id}` : `label-${task.image_label}`) : "";
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
      const path = task.shape ? `/api/v1/shapes/${task.shape.id}/properties`
        : `/api/v1/image-labels/${task.image_label}/properties`;
      await api(path, { method: "POST", json: { property: task.property, value } });
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
