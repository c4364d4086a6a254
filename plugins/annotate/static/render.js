// Drawing shapes, the shape being drawn and the selection handles into the SVG overlay.
import { handles } from "./geometry.js";

const NS = "http://www.w3.org/2000/svg";
const COLORS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324"];

function element(name, attributes) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

function shapeElement(shape, attributes) {
  if (shape.type === "rect") {
    return element("rect", { x: shape.x, y: shape.y, width: shape.width, height: shape.height, ...attributes });
  }
  if (shape.type === "ellipse") {
    return element("ellipse", { cx: shape.cx, cy: shape.cy, rx: shape.rx, ry: shape.ry, ...attributes });
  }
  const points = shape.points.map((p) => p.join(",")).join(" ");
  return element(shape.closed === false ? "polyline" : "polygon", { points, ...attributes });
}

export function renderShapes(group, shapes, selected) {
  group.replaceChildren(...shapes.map((shape, i) => shapeElement(shape, {
    class: `annotate-shape${i === selected ? " is-selected" : ""}`, "data-index": i,
    stroke: COLORS[i % COLORS.length], fill: COLORS[i % COLORS.length],
  })));
}

// The shape being drawn; a polygon in progress also gets a rubber band to the cursor.
export function renderDraft(group, draft, cursor, scale) {
  group.replaceChildren();
  if (!draft) return;
  if (draft.type === "polygon") {
    const points = cursor ? [...draft.points, [cursor.x, cursor.y]] : draft.points;
    group.append(shapeElement({ type: "polygon", points, closed: false }, { class: "annotate-draft" }));
    draft.points.forEach(([x, y], i) => group.append(element("circle", {
      cx: x, cy: y, r: (i === 0 ? 6 : 3) / scale, class: i === 0 ? "annotate-first-point" : "annotate-point" })));
  } else if (draft.shape) {
    group.append(shapeElement(draft.shape, { class: "annotate-draft" }));
  }
}

// A suggested outline's inside (green) and outside (red) strokes, and the one being drawn.
export function renderScribbles(group, proposal, draft) {
  const strokes = proposal ? [...proposal.inside.map((points) => ["inside", points]),
    ...proposal.outside.map((points) => ["outside", points])] : [];
  if (draft && draft.type === "scribble") strokes.push([draft.kind, draft.points]);
  group.replaceChildren(...strokes.map(([kind, points]) => shapeElement({ type: "polygon", points, closed: false },
    { class: `annotate-scribble is-${kind}` })));
}

export function renderHandles(group, shape, scale) {
  group.replaceChildren();
  if (!shape) return;
  for (const handle of handles(shape)) {
    group.append(element("rect", { x: handle.x - 5 / scale, y: handle.y - 5 / scale, width: 10 / scale,
      height: 10 / scale, class: "annotate-handle", "data-handle": handle.id }));
  }
}
