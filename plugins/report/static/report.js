// The Report button wherever a page shows a picture: a reason, an optional note, one POST. The picture is the
// nearest data-image-id at or above the button (core's /static/slots.js): on the validate page, its grid and
// the annotate editor the page changes it in the browser, so the button follows and, after a report, tells
// the page to move on. In a tile (a compact action) the form opens as a popover (./popover.js); Escape or Cancel
// closes any form and puts the focus back on its button.
import { token } from "/static/client.js";
import { IMAGE_EVENT, imageOf, withdrawImage } from "/static/slots.js";
import { hidePopover, showPopover } from "./popover.js";

const THANKS = "Thank you for the report. A moderator will look at the picture; you will not be shown it again.";
const SHORT_THANKS = "Reported. Thank you!";  // in a tile

async function sendReport(imageId, reason, note) {
  const response = await fetch(`/api/v1/images/${imageId}/reports`, {
    method: "POST",
    headers: { Authorization: "Bearer " + (await token()), "Content-Type": "application/json" },
    body: JSON.stringify(note ? { reason, note } : { reason }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error ? body.error.message : "HTTP " + response.status);
  return body.report;
}

function open(action, show) {
  const form = action.querySelector(".report-form");
  const button = action.querySelector(".report-open");
  if (show) document.querySelectorAll(".report-action.is-open").forEach((other) => other !== action && open(other, false));
  if (!form.hasAttribute("data-popover")) form.hidden = !show;
  else if (show) showPopover(form, button);
  else hidePopover(form);
  button.setAttribute("aria-expanded", String(show));
  action.classList.toggle("is-open", show);
  if (show) {
    action.querySelector(".report-status").textContent = "";
    action.querySelector("input[name=reason]").focus({ preventScroll: true });
  }
}

function close(action) {  // by Escape or Cancel: the focus goes back to the button
  open(action, false);
  action.querySelector(".report-open").focus();
}

document.addEventListener("click", (event) => {
  const action = event.target.closest(".report-action");
  if (!action) return;
  if (event.target.closest(".report-open")) open(action, action.querySelector(".report-form").hidden);
  if (event.target.closest(".report-cancel")) close(action);
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const action = event.target.closest?.(".report-action.is-open") || document.querySelector(".report-compact.is-open");
  if (!action) return;
  event.preventDefault();
  close(action);
});

// a popover also closes when you click outside it or move the focus out of it (Tab past Cancel)
document.addEventListener("pointerdown", (event) => {
  for (const action of document.querySelectorAll(".report-compact.is-open")) {
    if (!action.contains(event.target)) open(action, false);
  }
});
document.addEventListener("focusout", (event) => {
  const action = event.target.closest(".report-compact.is-open");
  if (action && event.relatedTarget && !action.contains(event.relatedTarget)) open(action, false);
});

// the page shows another picture: a fresh button for it; the last confirmation stays until the form opens again
document.addEventListener(IMAGE_EVENT, (event) => {
  for (const action of event.target.querySelectorAll(".report-action")) {
    open(action, false);
    action.querySelector(".report-form").reset();
    action.querySelector(".report-open").disabled = false;
    action.classList.remove("is-reported");
  }
});

document.addEventListener("submit", async (event) => {
  const form = event.target.closest(".report-action .report-form");
  if (!form) return;
  event.preventDefault();
  const action = form.closest(".report-action");
  const status = action.querySelector(".report-status");
  const imageId = imageOf(action);
  const data = new FormData(form);
  const reason = data.get("reason");
  const note = (data.get("note") || "").trim();
  if (reason === "other" && !note) {  // said at the field, which shows in a tile's sheet too
    const field = form.querySelector("input[name=note]");
    field.setCustomValidity("Please say in a few words what is wrong.");
    field.reportValidity();
    form.addEventListener("input", () => field.setCustomValidity(""), { once: true });  // a note or another reason
    return;
  }
  form.querySelectorAll("button").forEach((button) => { button.disabled = true; });
  try {
    await sendReport(imageId, reason, note);
    open(action, false);
    action.querySelector(".report-open").disabled = true;
    action.classList.add("is-reported");
    const compact = action.classList.contains("report-compact");
    status.textContent = compact ? SHORT_THANKS : THANKS;
    if (compact) status.focus();  // the button is gone: keep the keyboard's place in the tile
    withdrawImage(action, imageId);  // the page moves on: the picture is out of my tasks
  } catch (error) {
    status.textContent = error.message;
  } finally {
    form.querySelectorAll("button").forEach((button) => { button.disabled = false; });
  }
});
