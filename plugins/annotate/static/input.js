// Mouse, pen, touch (Pointer Events), wheel and keyboard input for the editor.
import { clamp } from "./geometry.js";
import { suggestOutline } from "./suggest.js";
import { HOTKEYS, TOOLS } from "./tools.js";

const $ = (id) => document.getElementById(id);

// Hotkeys never fire while the user types in a field.
// typing in a field, or keys inside a page slot (the Report form): not the editor's
function typing(target) {
  return target instanceof HTMLElement
    && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || !!target.closest(".slot"));
}

function bindPointer(ed, stage) {
  const touches = new Map();
  let pan = null;
  let pinch = null;
  let spaceDown = false;

  const imagePoint = (event) => {
    const p = ed.view.toImage(event.clientX, event.clientY);
    return { x: clamp(p.x, 0, ed.image.width), y: clamp(p.y, 0, ed.image.height) };
  };
  const pinchState = () => {
    const [a, b] = [...touches.values()];
    return { distance: Math.hypot(a.x - b.x, a.y - b.y) || 1, x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  };

  stage.addEventListener("pointerdown", (event) => {
    if (!ed.current) return;
    stage.focus({ preventScroll: true });
    stage.setPointerCapture(event.pointerId);
    if (event.pointerType === "touch") {
      touches.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (touches.size === 2) {
        if (ed.draft && ed.tool !== "polygon") TOOLS[ed.tool].cancel(ed);
        ed.drag = null;
        pinch = pinchState();
        ed.redraw();
        return;
      }
    }
    if (event.button === 1 || (event.button === 0 && spaceDown)) {
      event.preventDefault();
      pan = { x: event.clientX, y: event.clientY };
      stage.classList.add("is-panning");
      return;
    }
    if (event.button !== 0) return;
    TOOLS[ed.tool].down(ed, imagePoint(event), event.target);
    ed.redraw();
  });

  stage.addEventListener("pointermove", (event) => {
    if (!ed.image) return;
    if (touches.has(event.pointerId)) touches.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pinch && touches.size >= 2) {
      const now = pinchState();
      ed.view.panBy(now.x - pinch.x, now.y - pinch.y);
      ed.view.zoomAt(now.x, now.y, now.distance / pinch.distance);
      pinch = now;
      return;
    }
    if (pan) {
      ed.view.panBy(event.clientX - pan.x, event.clientY - pan.y);
      pan = { x: event.clientX, y: event.clientY };
      return;
    }
    ed.cursor = imagePoint(event);
    TOOLS[ed.tool].move(ed, ed.cursor);
    ed.redraw();
  });

  const release = (event) => {
    touches.delete(event.pointerId);
    if (pinch) { if (touches.size < 2) pinch = null; return; }
    if (pan) { pan = null; stage.classList.remove("is-panning"); return; }
    if (!ed.image || event.type === "pointercancel") { ed.drag = null; return; }
    TOOLS[ed.tool].up(ed, imagePoint(event));
    ed.redraw();
  };
  stage.addEventListener("pointerup", release);
  stage.addEventListener("pointercancel", release);
  stage.addEventListener("dblclick", () => { if (ed.tool === "polygon") { TOOLS.polygon.finish(ed); ed.redraw(); } });
  stage.addEventListener("auxclick", (event) => event.preventDefault());
  stage.addEventListener("wheel", (event) => {
    event.preventDefault();
    ed.view.zoomAt(event.clientX, event.clientY, Math.exp(-event.deltaY * 0.0015));
  }, { passive: false });

  return {
    space(down) { spaceDown = down; stage.classList.toggle("is-pan-ready", down); },
  };
}

function bindKeys(ed, pointer) {
  document.addEventListener("keydown", (event) => {
    if (typing(event.target) || !ed.current) return;
    const key = event.key.toLowerCase();
    const ctrl = event.ctrlKey || event.metaKey;
    let handled = true;
    if (ctrl && key === "s") ed.save();
    else if (ctrl && key === "z" && event.shiftKey) ed.redo();
    else if (ctrl && key === "z") ed.undo();
    else if (ctrl && key === "y") ed.redo();
    else if (ctrl || event.altKey) handled = false;
    else if (HOTKEYS[key]) ed.setTool(HOTKEYS[key]);
    else if (key === "delete" || (key === "backspace" && !ed.draft)) ed.deleteSelected();
    else if (key === "backspace" && ed.tool === "polygon") TOOLS.polygon.removeLastPoint(ed);
    else if (key === "escape") { if (ed.draft || ed.drag) TOOLS[ed.tool].cancel(ed); else ed.select(null); }
    else if (key === "enter" && ed.tool === "polygon") TOOLS.polygon.finish(ed);
    else if (key === " ") { if (!event.repeat) pointer.space(true); }
    else if (key === "0") ed.view.fit(ed.image.width, ed.image.height);
    else if (key === "g" && !ed.draft && !ed.drag) suggestOutline(ed);
    else handled = false;
    if (handled) { event.preventDefault(); ed.redraw(); }
  });
  document.addEventListener("keyup", (event) => { if (event.key === " ") pointer.space(false); });
  window.addEventListener("blur", () => pointer.space(false));
}

function bindButtons(ed) {
  for (const button of document.querySelectorAll("[data-tool]")) {
    button.addEventListener("click", () => ed.setTool(button.dataset.tool));
  }
  const actions = { "annotate-save": () => ed.save(), "annotate-undo": () => ed.undo(),
    "annotate-redo": () => ed.redo(), "annotate-delete": () => ed.deleteSelected(),
    "annotate-finish": () => TOOLS.polygon.finish(ed),
    "annotate-suggest": () => suggestOutline(ed), "annotate-not-annotatable": () => ed.notAnnotatable(),
    "annotate-skip": () => ed.skip(), "annotate-next": () => ed.next(),
    "annotate-fit": () => ed.view.fit(ed.image.width, ed.image.height) };
  for (const [id, action] of Object.entries(actions)) {
    $(id).addEventListener("click", async () => { await action(); ed.redraw(); });
  }
  $("annotate-add-label").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("annotate-new-label");
    const name = input.value.trim();
    if (name) ed.addLabel(name).then(() => { input.value = ""; });
  });
  window.addEventListener("beforeunload", (event) => {
    if (ed.items.some((item) => ed.isDirty(item))) event.preventDefault();
  });
}

export function bindInput(ed) {
  const pointer = bindPointer(ed, $("annotate-stage"));
  bindKeys(ed, pointer);
  bindButtons(ed);
}
