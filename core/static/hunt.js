// /hunt: the page lists the labels the dataset needs most; with a token in this browser, each one shows whether
// you donated a picture of it and whether others verified the label on it (GET /api/v1/me/hunt).
import { api, element, storedToken } from "./client.js";

const status = document.getElementById("hunt-status");
const STATES = { none: ["○", "not yet"], donated: ["◐", "donated, waiting for others to verify"], verified: ["●", "verified"] };

// a row like the server's, for a label you found that has left the lists since the page was made
function newRow(item) {
  const row = element("li", {},
    element("span", { className: "hunt-mark", ariaHidden: "true" }),
    element("span", { className: "hunt-label" }, element("strong", { textContent: item.label }), " ",
      element("span", { className: "muted", textContent: item.reason })),
    element("span", { className: "hunt-state" }),
    element("a", { className: "hunt-donate", href: "/donate?" + new URLSearchParams({ label: item.label }), textContent: "Donate a picture of " + item.label }));
  row.dataset.label = item.label;
  document.getElementById("hunt").append(row);
  return row;
}

function show(item) {
  const row = document.querySelector(`#hunt li[data-label="${CSS.escape(item.label)}"]`) || newRow(item);
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
