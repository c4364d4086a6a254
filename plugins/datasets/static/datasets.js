// The /datasets page: copy buttons for citations; for moderators, "Build a release" and its job's progress.
import { api, storedToken } from "/static/client.js";

const build = document.getElementById("build");
const form = document.getElementById("build-form");
const bar = document.getElementById("build-progress");
const status = document.getElementById("build-status");

for (const button of document.querySelectorAll(".datasets-copy")) {
  button.addEventListener("click", async () => {
    const text = document.getElementById(button.dataset.copy).textContent;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      const range = document.createRange();  // no clipboard permission: select it for Ctrl+C
      range.selectNodeContents(document.getElementById(button.dataset.copy));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      button.textContent = "Selected";
    }
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function follow(jobId, version) {
  bar.hidden = false;
  for (;;) {
    const job = await api(`/api/v1/jobs/${jobId}`, {}, false);
    bar.value = job.progress || 0;
    status.textContent = `Release ${version}: ${job.state}${job.message ? ` — ${job.message}` : ""} (${Math.round((job.progress || 0) * 100)}%)`;
    if (job.state === "done") { status.textContent = `Release ${version} is ready.`; setTimeout(() => location.reload(), 800); return; }
    if (job.state === "failed") { status.textContent = `Release ${version} failed: ${job.error}`; return; }
    await sleep(700);
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = { include_unverified: document.getElementById("build-unverified").checked };
  const version = document.getElementById("build-version").value.trim();
  const query = document.getElementById("build-query").value.trim();
  if (version) body.version = version;
  if (query) body.query = query;
  document.getElementById("build-button").disabled = true;
  try {
    const answer = await api("/api/v1/releases", { method: "POST", json: body }, false);
    await follow(answer.job.id, answer.release.version);
  } catch (error) {
    status.textContent = error.message;
  } finally {
    document.getElementById("build-button").disabled = false;
  }
});

async function start() {
  if (!storedToken()) return;
  const me = await api("/api/v1/me", {}, false).catch(() => null);
  if (!me || !(me.roles || []).includes("moderator")) return;
  build.hidden = false;
  const newest = await api("/api/v1/releases?limit=1", {}, false).catch(() => null);
  const release = newest && newest.releases[0];
  if (release && release.status === "building" && release.job) await follow(release.job.id, release.version);
}

start();
