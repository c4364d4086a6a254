// Zoom and pan: one transform on the SVG group that holds the image and the shapes.
const MIN_SCALE = 0.05, MAX_SCALE = 40;

export class Viewport {
  constructor(stage, world, onChange) {
    this.stage = stage;
    this.world = world;
    this.onChange = onChange;
    this.scale = 1;
    this.tx = 0;
    this.ty = 0;
    this.fitted = null; // the image size while the view is fitted (no zoom or pan since): refit when the stage resizes
    new ResizeObserver(() => { if (this.fitted) this.fit(this.fitted.width, this.fitted.height); }).observe(stage);
  }

  apply() {
    this.world.setAttribute("transform", `translate(${this.tx} ${this.ty}) scale(${this.scale})`);
    this.onChange(this);
  }

  // Fit a width × height image into the stage, centred: a large one scaled down, a small one scaled up to fill it.
  fit(width, height) {
    const rect = this.stage.getBoundingClientRect();
    this.scale = Math.min(rect.width / width, rect.height / height) * 0.98;
    this.tx = (rect.width - width * this.scale) / 2;
    this.ty = (rect.height - height * this.scale) / 2;
    this.fitted = { width, height };
    this.apply();
  }

  // Screen (client) coordinates to image pixels.
  toImage(clientX, clientY) {
    const rect = this.stage.getBoundingClientRect();
    return { x: (clientX - rect.left - this.tx) / this.scale, y: (clientY - rect.top - this.ty) / this.scale };
  }

  // Zoom by `factor` keeping the image point under (clientX, clientY) in place.
  zoomAt(clientX, clientY, factor) {
    const rect = this.stage.getBoundingClientRect();
    const p = this.toImage(clientX, clientY);
    this.scale = Math.min(Math.max(this.scale * factor, MIN_SCALE), MAX_SCALE);
    this.tx = clientX - rect.left - p.x * this.scale;
    this.ty = clientY - rect.top - p.y * this.scale;
    this.fitted = null;
    this.apply();
  }

  panBy(dx, dy) {
    this.tx += dx;
    this.ty += dy;
    this.fitted = null;
    this.apply();
  }
}
