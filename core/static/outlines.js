// Drawing outlines (annotate's shapes: rect, ellipse, polygon, in image pixels) into an SVG laid over a picture.
const SVG = "http://www.w3.org/2000/svg";

function svgElement(name, attributes) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

function shapeElement(shape) {
  if (shape.type === "rect") return svgElement("rect", { x: shape.x, y: shape.y, width: shape.width, height: shape.height });
  if (shape.type === "ellipse") return svgElement("ellipse", { cx: shape.cx, cy: shape.cy, rx: shape.rx, ry: shape.ry });
  return svgElement("polygon", { points: shape.points.map((point) => point.join(",")).join(" ") });
}

// a <g> with the shapes, appended to `svg` (whose viewBox is set to the image's size)
export function drawOutline(svg, width, height, shapes, colour, label = "") {
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const group = svgElement("g", { class: "outline", stroke: colour, "data-label": label });
  for (const shape of shapes) group.append(shapeElement(shape));
  svg.append(group);
  return group;
}
