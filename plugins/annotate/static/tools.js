// The tools: rectangle and ellipse (drag), polygon (click points), select (move, resize, edit points), and the
// inside/outside strokes that refine a suggested outline (scribble.js).
// Tools get points in image pixels, already clamped to the image; `ed` is the editor (see editor.js).
import { clamp, fromBox, handles, hit, moved, resized, round, usable } from "./geometry.js";
import { SCRIBBLE_TOOLS } from "./scribble.js";

const CLOSE_DISTANCE = 10; // screen pixels: a click this near the first point closes a polygon

function boxTool(type) {
  return {
    down(ed, p) { ed.draft = { type, start: p, shape: null }; },
    move(ed, p) { if (ed.draft) ed.draft.shape = fromBox(type, ed.draft.start, p); },
    up(ed) {
      const shape = ed.draft && ed.draft.shape;
      ed.draft = null;
      if (shape && usable(shape, 2 / ed.view.scale)) ed.addShape(shape);
    },
    cancel(ed) { ed.draft = null; },
  };
}

const polygon = {
  down(ed, p) {
    const draft = ed.draft || (ed.draft = { type: "polygon", points: [] });
    const first = draft.points[0];
    if (first && draft.points.length >= 3
        && Math.hypot(first[0] - p.x, first[1] - p.y) * ed.view.scale <= CLOSE_DISTANCE) {
      this.finish(ed);
      return;
    }
    const last = draft.points[draft.points.length - 1];
    if (last && Math.hypot(last[0] - p.x, last[1] - p.y) * ed.view.scale < 3) return; // a double click's second click
    draft.points.push([round(p.x), round(p.y)]);
  },
  move() {},
  up() {},
  finish(ed) {
    const draft = ed.draft;
    ed.draft = null;
    if (draft && draft.points.length >= 3) {
      const shape = { type: "polygon", points: draft.points };
      if (usable(shape, 0)) ed.addShape(shape);
    }
  },
  removeLastPoint(ed) {
    if (ed.draft && ed.draft.points.length) ed.draft.points.pop();
    if (ed.draft && !ed.draft.points.length) ed.draft = null;
  },
  cancel(ed) { ed.draft = null; },
};

const select = {
  down(ed, p, target) {
    const shapes = ed.shapes();
    const tolerance = 4 / ed.view.scale;
    const current = ed.selected !== null ? shapes[ed.selected] : null;
    const handleId = target && target.dataset ? target.dataset.handle : undefined;
    const handle = current && handleId !== undefined
      ? handles(current).find((h) => String(h.id) === handleId) : null;
    if (handle) {
      ed.drag = { kind: "handle", id: handle.id, original: current, changed: false };
      return;
    }
    for (let i = shapes.length - 1; i >= 0; i -= 1) {
      if (hit(shapes[i], p, tolerance)) {
        ed.select(i);
        ed.drag = { kind: "move", start: p, original: shapes[i], changed: false };
        return;
      }
    }
    ed.select(null);
  },
  move(ed, p) {
    const drag = ed.drag;
    if (!drag) return;
    const { width, height } = ed.size();
    const next = drag.kind === "move"
      ? moved(drag.original, p.x - drag.start.x, p.y - drag.start.y, width, height)
      : resized(drag.original, drag.id, { x: clamp(p.x, 0, width), y: clamp(p.y, 0, height) });
    if (!usable(next, 1)) return;
    if (!drag.changed) ed.history().record(ed.shapes());
    drag.changed = true;
    ed.replaceShape(ed.selected, next);
  },
  up(ed) { ed.drag = null; },
  cancel(ed) {
    if (ed.drag && ed.drag.changed) ed.replaceShape(ed.selected, ed.drag.original);
    ed.drag = null;
  },
};

export const TOOLS = { rect: boxTool("rect"), ellipse: boxTool("ellipse"), polygon, select, ...SCRIBBLE_TOOLS };
export const HOTKEYS = { r: "rect", e: "ellipse", p: "polygon", v: "select", i: "inside", o: "outside" };
