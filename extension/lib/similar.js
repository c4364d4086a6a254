/**
 * "Find similar in ImageMonkey": a server action of kind `similar` names an API path that takes a picture
 * (multipart `image`) and answers `{"images": [{"image": Image, "distance"}]}`, nearest first. Pure module:
 * recognising the action, building the request, and what the result view shows. It names no plugin.
 */

/** How many look-alikes the result view asks for. */
export const SIMILAR_LIMIT = 24;

/**
 * Whether the extension can carry out this action itself: kind `similar`, POST (the default), and an `api`
 * path on the configured server (never another host).
 * @param {{kind?: string, api?: unknown, method?: unknown}|null} action
 * @returns {boolean}
 */
export function isSimilarAction(action) {
  return action?.kind === "similar" && typeof action.api === "string" && action.api.startsWith("/api/")
    && !action.api.includes("?") && (action.method === undefined || String(action.method).toUpperCase() === "POST");
}

/**
 * The request for an action: its path (with the limit) and a multipart form with the picture as `image`.
 * @param {{api: string}} action a similar action (see isSimilarAction)
 * @param {Blob} image
 * @param {string} filename
 * @returns {{path: string, form: FormData}}
 */
export function similarRequest(action, image, filename) {
  if (!isSimilarAction(action)) throw new Error("not a similar action");
  const form = new FormData();
  form.append("image", image, filename);
  return { path: `${action.api}?limit=${SIMILAR_LIMIT}`, form };
}

/**
 * The result view's tiles from the server's answer: only entries with an id and a thumbnail on the server,
 * nearest first, each linking to the picture's page on that server.
 * @param {unknown} answer the server's JSON
 * @param {string} server the server's base URL (https://host)
 * @returns {{id: string, thumb: string, page: string, labels: string[], distance: number}[]}
 */
export function similarView(answer, server) {
  const origin = new URL(server).origin;
  const tiles = [];
  for (const entry of Array.isArray(answer?.images) ? answer.images : []) {
    const image = entry?.image;
    const thumb = typeof image?.urls?.thumb === "string" ? image.urls.thumb : null;
    if (typeof image?.id !== "string" || !/^\d+$/.test(image.id) || !thumb) continue;
    if (new URL(thumb, origin).origin !== origin) continue;
    const distance = Number(entry.distance);
    tiles.push({
      id: image.id, thumb: new URL(thumb, origin).href, page: `${origin}/images/${image.id}`,
      labels: (Array.isArray(image.labels) ? image.labels : []).map((l) => l?.label).filter((l) => typeof l === "string"),
      distance: Number.isFinite(distance) ? distance : null,
    });
  }
  return tiles.sort((a, b) => (a.distance ?? Infinity) - (b.distance ?? Infinity));
}
