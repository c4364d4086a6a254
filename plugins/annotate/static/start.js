// The start page: choose a label ("I want to outline dogs") or any label, then open the next task.
import { api, errorMessage } from "./api.js";
import { loadCatalog } from "./labels.js";

const form = document.getElementById("annotate-start");
const status = document.getElementById("annotate-status");
loadCatalog(document.getElementById("annotate-catalog"));
// Nothing to outline: say exactly why, and where the work is instead.
async function explain(label) {
  const found = await api("GET", `/api/v1/annotate/backlog${label ? `?label=${encodeURIComponent(label)}` : ""}`);
  const what = label ? ` for ${label}` : "";
  if (found.status !== 200 || !found.data.waiting_for_validation) {
    status.textContent = `Nothing left to outline${what} right now: every label${what} has its outline.`;
    return;
  }
  const link = Object.assign(document.createElement("a"), {
    href: "/validate" + (label ? `?label=${encodeURIComponent(label)}` : ""), textContent: "help verify them",
  });
  status.replaceChildren(`Nothing verified is left to outline${what}. Labels are outlined once the crowd has verified `
    + "them, and some are still waiting: ", link, ".");
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const label = document.getElementById("annotate-start-label").value.trim();
  const result = await api("GET", `/api/v1/tasks/next?kind=annotate${label ? `&label=${encodeURIComponent(label)}` : ""}`);
  if (result.status === 200) window.location.assign(result.data.task.editor_url);
  else if (result.status === 204) await explain(label);
  else status.textContent = errorMessage(result);
});
