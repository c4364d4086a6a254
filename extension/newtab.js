/**
 * The optional new-tab card: one question from the server's task action, then get out of the way.
 */
import { currentClient } from "./lib/client.js";
import { localize, t } from "./lib/i18n.js";
import { findTaskCardAction } from "./lib/menus.js";
import { findReportAction } from "./lib/report.js";
import { showSummary } from "./ui/summary.js";
import { mountTaskCard } from "./ui/task-card.js";

async function main() {
  localize(document);
  const api = await currentClient();
  const root = document.getElementById("task-card");
  let action = null;
  let reportAction = null;
  try {
    const actions = await api.actions();
    action = findTaskCardAction(actions);
    reportAction = findReportAction(actions);
  } catch {
    root.classList.add("card");
    root.dataset.state = "unreachable";
    root.textContent = t("popupUnreachable", [api.baseUrl]);
    return;
  }
  const counts = { today: document.getElementById("count-today"), streak: document.getElementById("count-streak") };
  showSummary(api, counts);
  if (action) mountTaskCard(root, { api, action, reportAction, onVoted: () => showSummary(api, counts) });
  else root.remove();
}

main();
