// The Report button on image pages and browse tiles: a reason, an optional note, one POST.
import { token } from "/static/client.js";

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
  action.querySelector(".report-form").hidden = !show;
  action.querySelector(".report-open").setAttribute("aria-expanded", String(show));
  if (show) action.querySelector("input[name=reason]").focus();
}

document.addEventListener("click", (event) => {
  const action = event.target.closest(".report-action");
  if (!action) return;
  if (event.target.closest(".report-open")) open(action, action.querySelector(".report-form").hidden);
  if (event.target.closest(".report-cancel")) open(action, false);
});

document.addEventListener("submit", async (event) => {
  const form = event.target.closest(".report-action .report-form");
  if (!form) return;
  event.preventDefault();
  const action = form.closest(".report-action");
  const status = action.querySelector(".report-status");
  const data = new FormData(form);
  const reason = data.get("reason");
  const note = (data.get("note") || "").trim();
  if (reason === "other" && !note) {
    status.textContent = "Please say in a few words what is wrong.";
    form.querySelector("input[name=note]").focus();
    return;
  }
  form.querySelectorAll("button").forEach((button) => { button.disabled = true; });
  try {
    await sendReport(action.dataset.imageId, reason, note);
    open(action, false);
    action.querySelector(".report-open").disabled = true;
    status.textContent = "Thank you. A moderator will look at it; you will not be shown this picture again.";
  } catch (error) {
    status.textContent = error.message;
  } finally {
    form.querySelectorAll("button").forEach((button) => { button.disabled = false; });
  }
});
