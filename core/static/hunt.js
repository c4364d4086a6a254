// /hunt: the page lists the labels the dataset needs most; with a token in this browser, each one shows whether
// you donated a picture of it and whether others verified the label on it (GET /api/v1/me/hunt).
import { api, element, storedToken } from "./client.js";

const status = document.getElementById("hunt-status");
const STATES = { none: ["○", "not yet"], donated: ["◐", "donated, waiting for others to verify"], verified: ["●", "verified"] };

function show(item) {
  const row = document.querySelector(`#hunt li[data-label="${CSS.escape(item.label)}"]`);
  if (!row) return;
  const [mark, words] = STATES[item.status];
  row.dataset.status = item.status;
  row.querySelector(".hunt-mark").textContent = mark;
  const state = row.querySelector(".hunt-state");
  state.replaceChildren(item.image_id ? element("a", { href: "/images/" + item.image_id, textContent: words }) : words);
}

async function start() {
  if (!storedToken() || !document.getElementById("hunt")) return;
  try {
    const answer = await api("/api/v1/me/hunt", {}, false);
    answer.hunt.forEach(show);
    status.textContent = `${answer.verified} of ${answer.total} verified.`;
  } catch (error) {
    status.textContent = "Your progress could not be read: " + error.message;
  }
}

start();
