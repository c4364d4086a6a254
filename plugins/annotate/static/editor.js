// The annotation editor: state per image label, loading, saving with revision checks, and redraws.
import { api, errorMessage, imageUrl } from "./api.js";
import { History } from "./history.js";
import { bindInput } from "./input.js";
import { outlineInstruction } from "./instruction.js";
import { addLabel, loadCatalog, renderLabels } from "./labels.js";
import { renderDraft, renderHandles, renderScribbles, renderShapes } from "./render.js";
import { activeProposal } from "./suggest.js";
import { TOOLS } from "./tools.js";
import { Viewport } from "./viewport.js";
import { announceAnswer, showImage, WITHDRAWN_EVENT } from "/static/slots.js";

const $ = (id) => document.getElementById(id);

function itemFor(imageLabel, annotation) {
  const shapes = annotation ? annotation.shapes : [];
  return { id: imageLabel.id, label: imageLabel.label, annotationId: annotation ? annotation.id : null,
    revision: annotation ? annotation.revision : null, shapes, saved: JSON.stringify(shapes),
    history: new History(), notAnnotatable: false };
}

class Editor {
  constructor(root) {
    this.root = root;
    this.imageId = root.dataset.imageId;
    this.wanted = root.dataset.label || null;
    this.items = [];
    this.current = null;
    this.tool = "rect";
    this.selected = null;
    this.draft = null;
    this.drag = null;
    this.cursor = null;
    this.view = new Viewport($("annotate-stage"), $("annotate-world"), () => this.redraw());
    this.catalog = new Map();
    this.proposal = null; // a suggested outline being refined (suggest.js)
  }

  // "Outline each dog." / "Outline the sky.", from the catalog
  instruction(item) { return outlineInstruction(item.label, this.catalog.get(item.label)); }

  say(message, isError = false) {
    const status = $("annotate-status");
    status.textContent = message;
    status.classList.toggle("is-error", isError);
  }

  size() { return { width: this.image.width, height: this.image.height }; }
  shapes() { return this.current.shapes; }
  history() { return this.current.history; }
  isDirty(item) { return JSON.stringify(item.shapes) !== item.saved; }

  async load() {
    const result = await api("GET", `/api/v1/images/${this.imageId}`);
    if (result.status !== 200) { this.say(errorMessage(result), true); return; }
    this.image = result.data;
    const svgImage = $("annotate-image");
    svgImage.setAttribute("width", this.image.width);
    svgImage.setAttribute("height", this.image.height);
    svgImage.setAttribute("href", await imageUrl(this.image.urls.original));
    const byLabel = {};
    let path = `/api/v1/images/${this.imageId}/annotations?limit=200`;
    for (;;) {
      const page = await api("GET", path);
      if (page.status !== 200) break;
      for (const annotation of page.data.annotations) byLabel[annotation.image_label_id] = annotation;
      if (!page.data.next_cursor) break;
      path = `/api/v1/images/${this.imageId}/annotations?limit=200&cursor=${page.data.next_cursor}`;
    }
    this.items = this.image.labels.map((il) => itemFor(il, byLabel[il.id]));
    this.proposal = null;
    this.current = this.items.find((item) => item.label === this.wanted) || this.items[0] || null;
    this.view.fit(this.image.width, this.image.height);
    this.setTool("rect");
    this.catalog = await loadCatalog($("annotate-catalog"));
    this.root.classList.add("is-ready");
    this.say(this.current ? this.instruction(this.current) : "This image has no labels yet: add one.");
  }

  redraw() {
    if (!this.current) { renderLabels($("annotate-labels"), this); return; }
    const scale = this.view.scale;
    renderShapes($("annotate-shapes"), this.current.shapes, this.selected);
    renderDraft($("annotate-draft"), this.draft, this.tool === "polygon" ? this.cursor : null, scale);
    renderScribbles($("annotate-scribbles"), activeProposal(this), this.draft);
    renderHandles($("annotate-handles"), this.selected !== null ? this.current.shapes[this.selected] : null, scale);
    renderLabels($("annotate-labels"), this);
    $("annotate-zoom").textContent = `${Math.round(scale * 100)}%`;
    $("annotate-finish").hidden = !(this.draft && this.draft.type === "polygon");
  }

  setTool(name) {
    if (this.draft) TOOLS[this.tool].cancel(this);
    this.tool = name;
    for (const button of document.querySelectorAll("[data-tool]")) {
      button.classList.toggle("is-active", button.dataset.tool === name);
      button.setAttribute("aria-pressed", String(button.dataset.tool === name));
    }
    this.root.dataset.tool = name;
    this.redraw();
  }

  select(index) { this.selected = index; }

  addShape(shape) {
    if (!this.current) return;
    if (this.current.shapes.length >= 200) { this.say("An annotation holds at most 200 shapes.", true); return; }
    this.current.history.record(this.current.shapes);
    this.current.shapes = [...this.current.shapes, shape];
    this.selected = this.current.shapes.length - 1;
  }

  replaceShape(index, shape) {
    this.current.shapes = this.current.shapes.map((old, i) => (i === index ? shape : old));
  }

  deleteSelected() {
    if (this.selected === null) return;
    this.current.history.record(this.current.shapes);
    this.current.shapes = this.current.shapes.filter((_, i) => i !== this.selected);
    this.selected = null;
  }

  undo() { this.restore(this.current.history.undo(this.current.shapes)); }
  redo() { this.restore(this.current.history.redo(this.current.shapes)); }
  restore(shapes) {
    if (!shapes) return;
    this.current.shapes = shapes;
    this.selected = null;
    this.draft = null;
  }

  switchTo(id) {
    if (this.draft) TOOLS[this.tool].cancel(this);
    this.current = this.items.find((item) => item.id === id) || this.current;
    this.selected = null;
    this.proposal = null;
    this.say(this.instruction(this.current));
    this.redraw();
  }

  async save() {
    const dirty = this.items.filter((item) => this.isDirty(item));
    if (!dirty.length) { this.say("Nothing to save."); return true; }
    for (const item of dirty) {
      if (!(await this.saveItem(item))) { this.redraw(); return false; }
    }
    this.proposal = null; // accepted: its strokes are done with
    this.say(`Saved ${dirty.map((item) => item.label).join(", ")}.`);
    this.redraw();
    return true;
  }

  async saveItem(item, force = false) {
    const shapes = item.shapes;
    const result = item.annotationId
      ? await api("PUT", `/api/v1/annotations/${item.annotationId}`, { shapes, base_revision: item.revision })
      : await api("POST", `/api/v1/image-labels/${item.id}/annotations`, { shapes });
    if (result.status === 200 || result.status === 201) {
      const annotation = result.data.annotation;
      Object.assign(item, { annotationId: annotation.id, revision: annotation.revision,
        saved: JSON.stringify(annotation.shapes) });
      if (annotation.shapes.length) {  // page slots may follow up (refine's step)
        announceAnswer(document.getElementById("annotate-app"), { imageId: this.imageId, imageLabelId: item.id,
          label: item.label, answer: "outlined", thumb: `/api/v1/images/${this.imageId}/file?size=thumb` });
      }
      return true;
    }
    if (result.status === 409 && !force) return this.conflict(item, result.data.error);
    if (result.status === 422 && result.data.error.shape !== undefined && item === this.current) {
      this.selected = result.data.error.shape;
    }
    this.say(`${item.label}: ${errorMessage(result)}`, true);
    return false;
  }

  // Someone saved in between: keep mine (save on top of theirs) or load theirs.
  async conflict(item, error) {
    item.annotationId = item.annotationId || error.annotation_id;
    const latest = await api("GET", `/api/v1/annotations/${item.annotationId}`);
    if (latest.status !== 200) { this.say(errorMessage(latest), true); return false; }
    const theirs = latest.data.annotation;
    const keepMine = window.confirm(`Someone else saved "${item.label}" while you worked (revision ${theirs.revision}).`
      + "\nOK: save your version on top of theirs. Cancel: load their version.");
    item.revision = theirs.revision;
    if (keepMine) return this.saveItem(item, true);
    item.history.record(item.shapes);
    Object.assign(item, { shapes: theirs.shapes, saved: JSON.stringify(theirs.shapes) });
    this.say(`Loaded the latest "${item.label}".`);
    return true;
  }

  async addLabel(name) {
    const created = await addLabel(this.imageId, name, (message, isError) => this.say(message, isError));
    for (const il of created) this.items.push(itemFor(il, null));
    if (created.length) this.switchTo(created[0].id);
  }

  async notAnnotatable() {
    const item = this.current;
    if (!item) return;
    const result = await api("POST", `/api/v1/image-labels/${item.id}/not-annotatable`);
    if (result.status !== 200) { this.say(errorMessage(result), true); return; }
    item.notAnnotatable = true;
    this.say(`Noted: "${item.label}" can't be annotated here.`);
    this.redraw();
  }

  async skip() {
    if (!this.current) return;
    const result = await api("POST", `/api/v1/image-labels/${this.current.id}/skip`);
    if (result.status !== 200) { this.say(errorMessage(result), true); return; }
    await this.next();
  }

  // A page slot took this picture out of my tasks (say, I reported it): its unsaved outlines go, and the
  // editor opens the next task in place (replacing this one in the history), so the slot's confirmation stays.
  async withdrawn() {
    const task = await this.nextTask();
    if (!task) return;
    const url = new URL(task.editor_url, window.location.href);
    window.history.replaceState(null, "", url);
    Object.assign(this, { imageId: String(task.image.id), wanted: url.searchParams.get("label") || null,
      selected: null, draft: null, drag: null });
    await this.load();
    showImage(this.root, this.imageId);
  }

  async next() {
    if (this.items.some((item) => this.isDirty(item)) && !window.confirm("Leave without saving?")) return;
    const task = await this.nextTask();
    if (!task) return;
    this.items.forEach((item) => { item.saved = JSON.stringify(item.shapes); });
    window.location.assign(task.editor_url);
  }

  async nextTask() {
    const label = this.wanted ? `&label=${encodeURIComponent(this.wanted)}` : "";
    const result = await api("GET", `/api/v1/tasks/next?kind=annotate${label}`);
    if (result.status === 204) { this.say(`Nothing left to outline${this.wanted ? ` for ${this.wanted}` : ""}.`); return null; }
    if (result.status !== 200) { this.say(errorMessage(result), true); return null; }
    return result.data.task;
  }
}

const root = $("annotate-app");
if (root) {
  const editor = new Editor(root);
  window.annotateEditor = editor;
  bindInput(editor);
  root.addEventListener(WITHDRAWN_EVENT, (event) => {
    if (event.detail.image_id === editor.imageId) editor.withdrawn();
  });
  editor.load().catch((error) => editor.say(error.message, true));
}
