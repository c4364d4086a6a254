/**
 * What a question card needs from a server's task action and one task, without the DOM: its choices, the key of its
 * subject, and where and what to send as the answer.
 *
 * An action's `answer` (GET /api/v1/extension) either lists fixed `choices` ([{value, key, title}]) or says
 * `choices: "task"`: each task brings its own `choices` (strings), answered with the number keys 1..9.
 * `from_task` names task fields sent along with the answer (`{property: task.property, [field]: value}`);
 * `shape_path` is where an answer about one outlined object (a task with `shape`) goes.
 */
import { fillTemplate } from "./menus.js";

/** The id of a task's image label, whether the task carries the image label's document or just its id. */
export function imageLabelId(task) {
  const found = task?.image_label;
  return found && typeof found === "object" ? found.id : found ?? undefined;
}

/** The key of a task's subject: image labels, outlined objects and other kinds (an outline to validate) alike. */
export function subjectKey(task) {
  if (task?.shape?.id !== undefined) return `shape:${task.shape.id}`;
  return `${task?.subject_kind ?? "image_label"}:${task?.subject_id ?? imageLabelId(task)}`;
}

/** True when every task brings its own choices. */
export function choicesFromTask(answer) {
  return answer?.choices === "task";
}

/** The answer buttons for `task`: the action's fixed choices, or the task's own with the keys 1..9. */
export function taskChoices(answer, task) {
  if (!choicesFromTask(answer)) return (Array.isArray(answer?.choices) ? answer.choices : []).filter((c) => typeof c?.value === "string");
  return (task?.choices ?? []).filter((value) => typeof value === "string").slice(0, 9)
    .map((value, i) => ({ value, key: String(i + 1), title: value }));
}

/** `{path, body}` of the answer `value` to `task`. */
export function answerRequest(answer, task, value) {
  const field = answer.field ?? "vote";
  const extra = Object.fromEntries((answer.from_task ?? []).map((name) => [name, task[name]]));
  if (task.shape && answer.shape_path) {
    return { path: fillTemplate(answer.shape_path, { shape_id: task.shape.id }), body: { ...extra, [field]: value } };
  }
  if (imageLabelId(task) !== undefined || !answer.batch) {
    return { path: fillTemplate(answer.path, { image_label_id: imageLabelId(task) ?? "", image_id: task.image?.id ?? "" }),
      body: { ...extra, [field]: value } };
  }
  return { path: answer.batch.path,
    body: { [answer.batch.list]: [{ kind: task.subject_kind, subject_id: task.subject_id, [field]: value }] } };
}
