// "Suggest outline" (G): the selected (or last) rectangle is a rough box; the server's GrabCut proposal replaces it
// as an editable polygon. Save accepts it (the normal outline save), the select tool adjusts its points, Undo brings
// the box back and Delete discards it. Nothing is stored until the person saves.
import { api, errorMessage } from "./api.js";

let pending = false;

function roughBox(ed) {
  const shapes = ed.shapes();
  if (ed.selected !== null && shapes[ed.selected] && shapes[ed.selected].type === "rect") return ed.selected;
  for (let i = shapes.length - 1; i >= 0; i -= 1) if (shapes[i].type === "rect") return i;
  return null;
}

export async function suggestOutline(ed) {
  if (pending || !ed.current) return;
  const index = roughBox(ed);
  if (index === null) { ed.say("Draw a rough box around the object first (R), then press G."); return; }
  const item = ed.current;
  const box = item.shapes[index];
  pending = true;
  ed.root.classList.add("is-suggesting");
  ed.say("Looking for the outline…");
  try {
    const result = await api("POST", "/api/v1/annotate/segment", { image_id: Number(ed.imageId),
      box: { x: box.x, y: box.y, width: box.width, height: box.height } });
    if (result.status !== 200) { ed.say(errorMessage(result), true); return; }
    if (!result.data.found) { ed.say("No object found in that box: draw a tighter one or outline it by hand."); return; }
    if (ed.current !== item || item.shapes[index] !== box) return; // the person moved on meanwhile
    item.history.record(item.shapes);
    ed.replaceShape(index, { type: "polygon", points: result.data.polygon });
    ed.setTool("select");
    ed.select(index);
    ed.say("Suggested outline: Save to accept, drag its points to adjust, Undo for the box or Delete to discard.");
  } finally {
    pending = false;
    ed.root.classList.remove("is-suggesting");
    ed.redraw();
  }
}
