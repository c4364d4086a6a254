/**
 * The toolbar popup: a validation question, today's and total contributions,
 * a link to the site. Also opened in a tab from the toolbar button's menu.
 */
import { currentClient } from "./lib/client.js";
import { ext } from "./lib/ext.js";
import { localize, t } from "./lib/i18n.js";
import { findTaskCardActions } from "./lib/menus.js";
import { findReportAction } from "./lib/report.js";
import { showSummary } from "./ui/summary.js";
import { mountTaskCard } from "./ui/task-card.js";

const $ = (id) => document.getElementById(id);

async function main() {
  localize(document);
  if (new URLSearchParams(location.search).get("view") === "tab") document.body.classList.add("in-tab");
  const api = await currentClient();
  const site = $("site-link");
  site.href = api.baseUrl + "/";
  const counts = { today: $("count-today"), streak: $("count-streak"), total: $("count-total") };
  const stateBox = $("server-state");

  let actions;
  try {
    actions = await api.actions();
  } catch (err) {
    stateBox.hidden = false;
    stateBox.dataset.state = "unreachable";
    stateBox.replaceChildren(
      Object.assign(document.createElement("p"), { textContent: t("popupUnreachable", [api.baseUrl]) }),
      Object.assign(document.createElement("p"), { className: "muted", textContent: t("popupUnreachableHint") }),
    );
    const retry = Object.assign(document.createElement("button"), { type: "button", className: "secondary", textContent: t("retry") });
    retry.addEventListener("click", () => location.reload());
    stateBox.append(retry);
    return;
  }
  showSummary(api, counts);
  ext.runtime.sendMessage({ type: "imagemonkey:refresh-menus" }).catch(() => {});
  const taskActions = findTaskCardActions(actions);
  if (taskActions.length) {
    $("task").hidden = false;
    let card = null;
    const open = (action) => {
      card?.destroy();
      const root = $("task-card");
      root.replaceChildren();
      card = mountTaskCard(root, { api, action, reportAction: findReportAction(actions), onVoted: () => showSummary(api, counts) });
      for (const button of $("task-kinds").querySelectorAll("button")) button.setAttribute("aria-pressed", String(button.dataset.kind === action.id));
    };
    // several kinds of questions (a yes/no vote, a property's value): a switch between them, the first one first
    if (taskActions.length > 1) {
      const kinds = $("task-kinds");
      kinds.hidden = false;
      for (const action of taskActions) {
        const button = Object.assign(document.createElement("button"), { type: "button", className: "secondary", textContent: action.title ?? action.id });
        button.dataset.kind = action.id;
        button.addEventListener("click", () => open(action));
        kinds.append(button);
      }
    }
    open(taskActions[0]);
  } else {
    $("task").remove();
    $("task-off").hidden = false;
  }
}

main();
