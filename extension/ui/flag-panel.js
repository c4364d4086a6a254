/**
 * The question card's "Report" button and its panel of reasons (a note, one button per reason), from a server's
 * reporting action (lib/report.js). The card supplies the markup (`.flag-open`, `.flag-panel`) and what a send does.
 */
import { describeError } from "../lib/messages.js";
import { reportReasons } from "../lib/report.js";
import { t } from "../lib/i18n.js";

/**
 * The "Report" button and its panel of reasons. Inert (button hidden) without a reporting action.
 * @param {HTMLElement} root
 * @param {object|null} reportAction
 * @param {{canReport(): boolean, send(reason: string, note: string): Promise<void>}} hooks
 */
export function mountReporting(root, reportAction, { canReport, send }) {
  const openBtn = root.querySelector(".flag-open");
  const panel = root.querySelector(".flag-panel");
  const note = panel.querySelector(".flag-note");
  const error = panel.querySelector(".flag-error");
  const close = (refocus = true) => {
    if (panel.hidden) return;
    panel.hidden = true;
    openBtn.setAttribute("aria-expanded", "false");
    if (refocus) openBtn.focus({ preventScroll: true });
  };
  const reasons = reportAction ? reportReasons(reportAction) : [];
  if (!reasons.length) return { close() {}, isOpen: () => false };
  openBtn.hidden = false;
  openBtn.textContent = reportAction.title || t("reportOpen");
  panel.querySelector(".flag-heading").textContent = t("reportWhy");
  panel.querySelector(".flag-note-label span").textContent = t("reportNote");
  const cancel = panel.querySelector(".flag-cancel");
  cancel.textContent = t("reportCancel");
  const box = panel.querySelector(".reasons");
  for (const reason of reasons) {
    const button = Object.assign(document.createElement("button"), { type: "button", className: "secondary reason", textContent: reason.title });
    button.dataset.reason = reason.value;
    button.addEventListener("click", async () => {
      if (!canReport()) return;
      error.textContent = "";
      for (const b of box.querySelectorAll("button")) b.disabled = true;
      try {
        await send(reason.value, note.value);
      } catch (err) {
        error.textContent = describeError(err ?? {}, t); // stays open: the reporter can add a note and try again
      } finally {
        for (const b of box.querySelectorAll("button")) b.disabled = false;
      }
    });
    box.append(button);
  }
  openBtn.addEventListener("click", () => {
    if (!panel.hidden) return close();
    if (!canReport()) return;
    panel.hidden = false;
    openBtn.setAttribute("aria-expanded", "true");
    note.value = "";
    error.textContent = "";
    box.querySelector("button").focus({ preventScroll: true });
  });
  cancel.addEventListener("click", () => close());
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); close(); }
  });
  return { close, isOpen: () => !panel.hidden };
}
