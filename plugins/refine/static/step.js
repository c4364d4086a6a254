// Refine's step inside other task pages: after the page announces an answer about an image label (a "yes" on the
// validate page, a saved outline in the editor), ask one open property of it ("What color is this dog?") with
// number keys. Only properties the catalog declares, not yet settled and not answered by this contributor.
import { api } from "/static/client.js";
import { ANSWERED_EVENT } from "/static/slots.js";

const step = document.getElementById("refine-step");
const question = step.querySelector(".refine-step-question");
const choices = step.querySelector(".refine-step-choices");
const picture = step.querySelector(".refine-step-picture");
let current = null; // {imageLabelId, label, property, values}

function setState(name) {
  step.dataset.state = name;
  step.hidden = name === "idle";
  step.setAttribute("aria-busy", String(name === "busy"));
}

function close() {
  current = null;
  choices.replaceChildren();
  setState("idle");
}

function ask(detail, property, values) {
  current = { imageLabelId: detail.image_label_id, label: detail.label, property, values: values.slice(0, 9) };
  step.dataset.imageLabel = detail.image_label_id;
  question.textContent = `What ${property} is this ${detail.label}?`;
  picture.hidden = !detail.thumb;
  if (detail.thumb) {
    picture.src = detail.thumb;
    picture.alt = detail.label;
  }
  choices.replaceChildren(...current.values.map((value, i) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.dataset.value = value;
    button.append(value + " ");
    const key = document.createElement("kbd");
    key.textContent = String(i + 1);
    button.append(key);
    button.addEventListener("click", () => answer(value));
    return button;
  }));
  setState("question");
}

// the first open property of the image label, or nothing (then the step stays closed)
async function follow(detail) {
  close();
  let summary;
  try {
    summary = await api(`/api/v1/image-labels/${detail.image_label_id}/properties`);
  } catch {
    return; // no step is better than an error inside another page's task
  }
  const open = Object.entries(summary.properties || {}).find(([, found]) => !found.settled && !found.mine);
  if (open) ask(detail, open[0], open[1].choices);
}

async function answer(value) {
  if (!current || step.dataset.state !== "question") return;
  const { imageLabelId, property } = current;
  setState("busy");
  try {
    await api(`/api/v1/image-labels/${imageLabelId}/properties`, { method: "POST", json: { property, value } });
  } catch {
    // the answer is lost, the page's own task goes on
  }
  close();
}

document.addEventListener(ANSWERED_EVENT, (event) => follow(event.detail));
step.querySelector(".refine-step-skip").addEventListener("click", close);
// number keys belong to the step while it asks (the pages' own keys are letters); captured before the page sees them
document.addEventListener("keydown", (event) => {
  if (!current || step.dataset.state !== "question" || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest && event.target.closest("input, textarea, select")) return;
  const index = Number.parseInt(event.key, 10);
  if (index >= 1 && index <= current.values.length) {
    event.preventDefault();
    event.stopImmediatePropagation();
    answer(current.values[index - 1]);
  } else if (event.key === "Escape") {
    close();
  }
}, true);
