// Shape geometry in upright-image pixels: bounding boxes, hit tests, moving, resizing, clamping.
export const round = (v) => Math.round(v * 100) / 100;
export const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);

export function bbox(shape) {
  if (shape.type === "rect") return { x0: shape.x, y0: shape.y, x1: shape.x + shape.width, y1: shape.y + shape.height };
  if (shape.type === "ellipse") {
    return { x0: shape.cx - shape.rx, y0: shape.cy - shape.ry, x1: shape.cx + shape.rx, y1: shape.cy + shape.ry };
  }
  const xs = shape.points.map((p) => p[0]);
  const ys = shape.points.map((p) => p[1]);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

// A rect or ellipse spanning the box from corner a to corner b (any order).
export function fromBox(type, a, b) {
  const x0 = Math.min(a.x, b.x), x1 = Math.max(a.x, b.x), y0 = Math.min(a.y, b.y), y1 = Math.max(a.y, b.y);
  if (type === "rect") return { type, x: round(x0), y: round(y0), width: round(x1 - x0), height: round(y1 - y0) };
  return { type, cx: round((x0 + x1) / 2), cy: round((y0 + y1) / 2), rx: round((x1 - x0) / 2), ry: round((y1 - y0) / 2) };
}

function pointInPolygon(points, p) {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i], [xj, yj] = points[j];
    if ((yi > p.y) !== (yj > p.y) && p.x < ((xj - xi) * (p.y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function segmentDistance(p, a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len = dx * dx + dy * dy;
  const t = len ? clamp(((p.x - a[0]) * dx + (p.y - a[1]) * dy) / len, 0, 1) : 0;
  return Math.hypot(p.x - (a[0] + t * dx), p.y - (a[1] + t * dy));
}

// True when p (image pixels) is on or inside the shape, with a tolerance in image pixels.
export function hit(shape, p, tolerance) {
  if (shape.type === "rect") {
    return p.x >= shape.x - tolerance && p.x <= shape.x + shape.width + tolerance
      && p.y >= shape.y - tolerance && p.y <= shape.y + shape.height + tolerance;
  }
  if (shape.type === "ellipse") {
    const nx = (p.x - shape.cx) / (shape.rx + tolerance), ny = (p.y - shape.cy) / (shape.ry + tolerance);
    return nx * nx + ny * ny <= 1;
  }
  const pts = shape.points;
  return pointInPolygon(pts, p) || pts.some((a, i) => segmentDistance(p, a, pts[(i + 1) % pts.length]) <= tolerance);
}

// The shape moved by (dx, dy), kept inside a width × height image.
export function moved(shape, dx, dy, width, height) {
  const box = bbox(shape);
  const mx = clamp(dx, -box.x0, width - box.x1), my = clamp(dy, -box.y0, height - box.y1);
  if (shape.type === "rect") return { ...shape, x: round(shape.x + mx), y: round(shape.y + my) };
  if (shape.type === "ellipse") return { ...shape, cx: round(shape.cx + mx), cy: round(shape.cy + my) };
  return { ...shape, points: shape.points.map(([x, y]) => [round(x + mx), round(y + my)]) };
}

// Handles of a shape: the corners of a rect/ellipse box, or the points of a polygon.
export function handles(shape) {
  if (shape.type === "polygon") return shape.points.map(([x, y], i) => ({ id: i, x, y }));
  const b = bbox(shape);
  return [{ id: "nw", x: b.x0, y: b.y0 }, { id: "ne", x: b.x1, y: b.y0 },
    { id: "sw", x: b.x0, y: b.y1 }, { id: "se", x: b.x1, y: b.y1 }];
}

// The shape with handle `id` dragged to p (already clamped to the image).
export function resized(shape, id, p) {
  if (shape.type === "polygon") {
    const points = shape.points.map((q) => q.slice());
    points[id] = [round(p.x), round(p.y)];
    return { ...shape, points };
  }
  const b = bbox(shape);
  const fixed = { x: id.includes("w") ? b.x1 : b.x0, y: id.includes("n") ? b.y1 : b.y0 };
  return fromBox(shape.type, fixed, p);
}

export function polygonArea(points) {
  let total = 0;
  points.forEach(([x1, y1], i) => { const [x2, y2] = points[(i + 1) % points.length]; total += x1 * y2 - x2 * y1; });
  return Math.abs(total) / 2;
}

// Whether a shape is big enough to keep (at least `min` image pixels across).
export function usable(shape, min) {
  if (shape.type === "rect") return shape.width >= min && shape.height >= min;
  if (shape.type === "ellipse") return shape.rx * 2 >= min && shape.ry * 2 >= min;
  return shape.points.length >= 3 && polygonArea(shape.points) > 0;
}
