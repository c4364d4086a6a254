// The start page: choose a label ("I want to outline dogs") or any label, then open the next task.
import { api, errorMessage } from "./api.js";
import { loadCatalog } from "./labels.js";

const form = document.getElementById("annotate-start");
const status = document.getElementById("annotate-status");
loadCatalog(document.getElementById("annotate-catalog"));
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const label = document.getElementById("annotate-start-label").value.trim();
  const result = await api("GET", `/api/v1/tasks/next?kind=annotate${label ? `&label=${encodeURIComponent(label)}` : ""}`);
  if (result.status === 200) window.location.assign(result.data.task.editor_url);
  else if (result.status === 204) status.textContent = `Nothing left to outline${label ? ` for ${label}` : ""} right now.`;
  else status.textContent = errorMessage(result);
});
