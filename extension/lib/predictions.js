/**
 * "What does ImageMonkey see?": a server action of kind `predict` names an API path that takes a
 * picture (multipart `image`) and answers `{"model": {"id", "version"}, "predictions": [{"label",
 * "probability"}], "ms"}`. Pure module: recognising the action, building the request, choosing the
 * labels to donate with and what the in-page panel shows. It names no plugin: the path is the server's.
 */

/** Labels at or above this probability are the ones "Donate with these labels" sends. */
export const PICK_THRESHOLD = 0.5;
/** At most this many labels are picked, the likeliest first. */
export const PICK_MAX = 5;

/**
 * Whether the extension can carry out this action itself: kind `predict`, POST (the default), and an
 * `api` path on the configured server (never another host).
 * @param {{kind?: string, api?: unknown, method?: unknown}|null} action
 * @returns {boolean}
 */
export function isPredictAction(action) {
  return action?.kind === "predict" && typeof action.api === "string" && action.api.startsWith("/api/")
    && (action.method === undefined || String(action.method).toUpperCase() === "POST");
}

/**
 * The request for an action: its path, and a multipart form with the picture as `image`.
 * @param {{api: string}} action a predict action (see isPredictAction)
 * @param {Blob} image
 * @param {string} filename
 * @returns {{path: string, form: FormData}}
 */
export function predictRequest(action, image, filename) {
  if (!isPredictAction(action)) throw new Error("not a predict action");
  const form = new FormData();
  form.append("image", image, filename);
  return { path: action.api, form };
}

/**
 * The server's predictions, cleaned: a label (string) and a probability clamped to 0..1, likeliest first.
 * @param {unknown} answer the server's JSON
 * @returns {{label: string, probability: number}[]}
 */
export function cleanPredictions(answer) {
  const raw = Array.isArray(answer?.predictions) ? answer.predictions : [];
  return raw.filter((p) => typeof p?.label === "string" && p.label && Number.isFinite(p.probability))
    .map((p) => ({ label: p.label, probability: Math.min(1, Math.max(0, p.probability)) }))
    .sort((a, b) => b.probability - a.probability);
}

/**
 * The labels "Donate with these labels" sends: every label at or above `threshold` (at most `max`,
 * likeliest first); when none is that likely, the likeliest one alone, so the button always says
 * what it will do. None when there are no predictions.
 * @param {{label: string, probability: number}[]} predictions cleaned, likeliest first
 * @param {{threshold?: number, max?: number}} [opts]
 * @returns {string[]}
 */
export function pickLabels(predictions, { threshold = PICK_THRESHOLD, max = PICK_MAX } = {}) {
  const sure = predictions.filter((p) => p.probability >= threshold).slice(0, max).map((p) => p.label);
  return sure.length ? sure : predictions.slice(0, 1).map((p) => p.label);
}

/**
 * What the panel shows for an answer: bars with a percentage, the picked labels, and the model line.
 * @param {unknown} answer the server's JSON
 * @param {(key: string, subs?: string[]) => string} t message lookup
 * @returns {{bars: {label: string, probability: number, percent: string, picked: boolean}[], labels: string[],
 *   modelLine: string, version: number|null, ms: number|null}}
 */
export function predictionView(answer, t) {
  const predictions = cleanPredictions(answer);
  const labels = pickLabels(predictions);
  const version = Number.isInteger(answer?.model?.version) ? answer.model.version : null;
  const ms = Number.isFinite(answer?.ms) ? answer.ms : null;
  const parts = [];
  if (version !== null) parts.push(t("predictModelVersion", [String(version)]));
  if (ms !== null) parts.push(t("predictMs", [String(Math.round(ms))]));
  return {
    bars: predictions.map((p) => ({ label: p.label, probability: p.probability,
      percent: `${Math.round(p.probability * 100)}%`, picked: labels.includes(p.label) })),
    labels,
    modelLine: parts.join(" · "),
    version,
    ms,
  };
}
