/**
 * The question card: one task at a time from a server's `task` action, its answers as buttons, skip.
 * Used by the toolbar popup and the new-tab page. What to ask and where to send the answer come
 * from the action (GET /api/v1/extension):
 *   {kind: "task", task: {kind, answer: {path: ".../{image_label_id}/...", field, choices: [{value, key, title}],
 *                                        batch: {path, list}}}}
 * A task about an image label answers at `path`; a task about another kind of subject (an outline) answers at
 * `batch.path` with `{[batch.list]: [{kind, subject_id, [field]: value}]}`.
 * With a reporting action (see lib/report.js) the card also offers "Report" for the picture on screen.
 */
import { labelEntries } from "../lib/catalog.js";
import { t } from "../lib/i18n.js";
import { withArticle } from "../lib/labels.js";
import { describeError } from "../lib/messages.js";
import { reportRequest } from "../lib/report.js";
import { answerRequest, choicesFromTask, imageLabelId, subjectKey, taskChoices } from "../lib/task-answer.js";
import { mountCaptionBox } from "./caption-box.js";
import { mountReporting } from "./flag-panel.js";

/** Local titles for the usual answers; other answers use the server's title. */
const ANSWER_TITLES = { yes: "voteYes", no: "voteNo", unsure: "voteUnsure" };
const SVG = "http://www.w3.org/2000/svg";

export { subjectKey };

function svgElement(name, attributes) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

/** Draw an outline question's shapes (image pixels) over the picture. */
function drawOutline(svg, image, shapes) {
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${image.width} ${image.height}`);
  for (const shape of shapes) {
    if (shape.type === "rect") svg.append(svgElement("rect", { x: shape.x, y: shape.y, width: shape.width, height: shape.height }));
    else if (shape.type === "ellipse") svg.append(svgElement("ellipse", { cx: shape.cx, cy: shape.cy, rx: shape.rx, ry: shape.ry }));
    else svg.append(svgElement("polygon", { points: shape.points.map((point) => point.join(",")).join(" ") }));
  }
}

/**
 * Render the card into `root` and start asking.
 * @param {HTMLElement} root an empty element
 * @param {object} opts
 * @param {ReturnType<import("../lib/api.js").createApiClient>} opts.api
 * @param {{task: {kind: string, answer: {path: string, field: string, choices: {value: string, key?: string, title?: string}[]}}}} opts.action
 * @param {{title?: string, api: string, reasons: {value: string, title?: string}[]}|null} [opts.reportAction]
 *   the server's reporting action, when it has one (lib/report.js findReportAction)
 * @param {() => void} [opts.onVoted] called after each recorded answer
 * @param {(state: string) => void} [opts.onState] "loading" | "question" | "empty" | "unreachable" | "error"
 * @returns {{next(): Promise<void>, destroy(): void}}
 */
export function mountTaskCard(root, { api, action, reportAction = null, onVoted = () => {}, onState = () => {} }) {
  const { kind: taskKind, answer } = action.task;
  let VOTE_KEYS = {};
  root.classList.add("card");
  root.innerHTML = `
    <div class="task" hidden>
      <p class="question" id="task-question"></p>
      <div class="frame"><div class="outlined"><img class="task-image" alt=""><svg class="outline" preserveAspectRatio="none" aria-hidden="true"></svg></div></div>
      <div class="votes" role="group" aria-labelledby="task-question"></div>
      <div class="card-links">
        <button type="button" class="link skip"><span></span> <kbd>S</kbd></button>
        <button type="button" class="link flag-open" aria-expanded="false" aria-controls="flag-panel" hidden></button>
      </div>
      <div class="task-caption"></div>
      <div class="flag-panel" id="flag-panel" role="group" aria-labelledby="flag-heading" hidden>
        <p class="flag-heading" id="flag-heading"></p>
        <label class="flag-note-label"><span></span><input type="text" class="flag-note" maxlength="500"></label>
        <div class="reasons"></div>
        <p class="flag-error" role="alert"></p>
        <button type="button" class="link flag-cancel"></button>
      </div>
    </div>
    <p class="confirmation" role="status" aria-live="polite"></p>
    <div class="notice" role="status" aria-live="polite"></div>`;
  const task = root.querySelector(".task");
  const question = root.querySelector(".question");
  const img = root.querySelector(".task-image");
  const outline = root.querySelector("svg.outline");
  const notice = root.querySelector(".notice");
  const votes = root.querySelector(".votes");
  let buttons = [];
  // the answer buttons: once for fixed choices, for every task where each brings its own (a property's values)
  function renderChoices(choices) {
    votes.replaceChildren();
    for (const choice of choices) {
      const button = Object.assign(document.createElement("button"), { type: "button", className: "vote" });
      const name = choice.value.replace(/\W+/g, "-");
      if (name) button.classList.add(name);
      button.dataset.vote = choice.value;
      const key = ANSWER_TITLES[choice.value];
      const local = key ? t(key) : "";
      button.append(Object.assign(document.createElement("span"), { textContent: local && local !== key ? local : choice.title ?? choice.value }));
      if (choice.key) button.append(Object.assign(document.createElement("kbd"), { textContent: choice.key.toUpperCase() }));
      button.addEventListener("click", () => vote(button.dataset.vote));
      votes.append(button);
    }
    buttons = [...votes.querySelectorAll("button.vote")];
    VOTE_KEYS = Object.fromEntries(choices.filter((c) => c.key).map((c) => [c.key.toLowerCase(), c.value]));
  }
  if (!choicesFromTask(answer)) renderChoices(taskChoices(answer, null));
  const skipBtn = root.querySelector(".skip");
  skipBtn.querySelector("span").textContent = t("voteSkip");

  const captions = mountCaptionBox(root.querySelector(".task-caption"), { api });
  const confirmation = root.querySelector(".confirmation");
  const reporting = mountReporting(root, reportAction, {
    canReport: () => !busy && Boolean(current?.image?.id),
    send: async (reason, note) => {
      const { path, body } = reportRequest(reportAction, current.image.id, reason, note);
      busy = true;
      try {
        await api.answer(path, body);
      } finally {
        busy = false;
      }
      confirmation.textContent = t("reportThanks");
      await next();
    },
  });

  let current = null;
  let busy = false;
  let objectUrl = null;
  const skipped = new Set();

  function setState(name, text = "", withRetry = false) {
    root.dataset.state = name;
    task.hidden = name !== "question";
    notice.replaceChildren();
    if (text) notice.append(Object.assign(document.createElement("p"), { textContent: text }));
    if (withRetry) {
      const retry = Object.assign(document.createElement("button"), { type: "button", className: "secondary retry", textContent: t("retry") });
      retry.addEventListener("click", () => next());
      notice.append(retry);
    }
    onState(name);
  }

  function showError(err) {
    if (err?.code === "unreachable") setState("unreachable", t("popupUnreachable", [api.baseUrl]), true);
    else setState("error", describeError(err ?? {}, t), true);
  }

  async function next() {
    busy = true;
    reporting.close(false);
    setState("loading", t("loading"));
    try {
      let found = null;
      for (let tries = 0; tries < 4; tries++) {
        found = await api.nextTask(taskKind);
        if (!found || !skipped.has(subjectKey(found))) break;
      }
      if (found && skipped.has(subjectKey(found))) skipped.clear();
      current = found;
      if (!current) {
        setState("empty", t("popupNothingLeft"));
        return;
      }
      const path = current.image?.urls?.medium ?? current.image?.urls?.thumb ?? current.image?.urls?.original;
      const blob = await api.file(path);
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      objectUrl = URL.createObjectURL(blob);
      img.src = objectUrl;
      // an image-label task names its image label; other kinds (an outline) name their label at the top level
      const label = current.image_label?.label ?? current.label ?? "";
      img.alt = t("taskImageAlt", [label]);
      // the server phrases its questions from the catalog; one that sends none gets the same words here
      question.textContent = current.question || t("taskQuestion", [withArticle(label, await labelEntries(api))]);
      root.dataset.imageLabelId = imageLabelId(current) ?? "";
      root.dataset.subject = subjectKey(current);
      if (choicesFromTask(answer)) renderChoices(taskChoices(answer, current));
      if (current.annotation?.shapes) drawOutline(outline, current.image, current.annotation.shapes);
      else if (current.shape) drawOutline(outline, current.image, [current.shape]);
      else outline.replaceChildren();
      captions.show(current.image);
      setState("question");
      buttons[0]?.focus({ preventScroll: true });
    } catch (err) {
      showError(err);
    } finally {
      busy = false;
    }
  }

  async function vote(value) {
    if (busy || !current) return;
    busy = true;
    confirmation.textContent = "";
    for (const b of buttons) b.disabled = true;
    try {
      const { path, body } = answerRequest(answer, current, value);
      await api.answer(path, body);
      onVoted(value);
      await next();
    } catch (err) {
      showError(err);
    } finally {
      busy = false;
      for (const b of buttons) b.disabled = false;
    }
  }

  function skip() {
    if (busy || !current) return;
    skipped.add(subjectKey(current));
    next();
  }

  skipBtn.addEventListener("click", skip);
  const onKey = (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.target?.matches?.("input, textarea")) return;
    if (reporting.isOpen()) return; // the report panel has its own keys (Escape closes it)
    const key = e.key.toLowerCase();
    if (VOTE_KEYS[key] && root.dataset.state === "question") { e.preventDefault(); vote(VOTE_KEYS[key]); }
    else if ((key === "s" || key === "arrowright") && root.dataset.state === "question") { e.preventDefault(); skip(); }
  };
  document.addEventListener("keydown", onKey);
  next();
  return {
    next,
    destroy() {
      document.removeEventListener("keydown", onKey);
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    },
  };
}
