// "Suggest outline" (G): the selected (or last) rectangle is a rough box; the server's GrabCut proposal replaces it
// as an editable polygon. Save accepts it (the normal outline save), the select tool adjusts its points, Undo brings
// the box back and Delete discards it. Strokes marking "inside" (I) and "outside" (O) ask again with them
// (scribble.js). Nothing is stored until the person saves.
import { api, errorMessage } from "./api.js";

const HINT = "Suggested outline: Save to accept, drag its points to adjust, mark inside (I) or outside (O) to "
  + "refine, Undo for the box or Delete to discard.";
let pending = false;

function roughBox(ed) {
  const shapes = ed.shapes();
  if (ed.selected !== null && shapes[ed.selected] && shapes[ed.selected].type === "rect") return ed.selected;
  for (let i = shapes.length - 1; i >= 0; i -= 1) if (shapes[i].type === "rect") return i;
  return null;
}

// The proposal being refined, while its polygon is still in the current label's shapes; else null.
export function activeProposal(ed) {
  const proposal = ed.proposal;
  if (!proposal || proposal.item !== ed.current) return null;
  const shape = proposal.item.shapes[proposal.index];
  return shape && shape.type === "polygon" ? proposal : null;
}

// Ask the server; on success the shape at `index` becomes the proposal's polygon (one undo step).
async function propose(ed, item, index, box, scribbles) {
  if (pending) return false;
  const before = item.shapes[index];
  pending = true;
  ed.root.classList.add("is-suggesting");
  ed.say("Looking for the outline…");
  try {
    const body = { image_id: String(ed.imageId), box: { x: box.x, y: box.y, width: box.width, height: box.height } };
    if (scribbles) body.scribbles = scribbles;
    const result = await api("POST", "/api/v1/annotate/segment", body);
    if (result.status !== 200) { ed.say(errorMessage(result), true); return false; }
    if (!result.data.found) { ed.say("No object found in that box: draw a tighter one or outline it by hand."); return false; }
    if (ed.current !== item || item.shapes[index] !== before) return false; // the person moved on meanwhile
    item.history.record(item.shapes);
    ed.replaceShape(index, { type: "polygon", points: result.data.polygon });
    ed.setTool(ed.tool === "inside" || ed.tool === "outside" ? ed.tool : "select");
    ed.select(index);
    ed.say(HINT);
    return true;
  } finally {
    pending = false;
    ed.root.classList.remove("is-suggesting");
    ed.redraw();
  }
}

export async function suggestOutline(ed) {
  if (!ed.current) return;
  const index = roughBox(ed);
  if (index === null) {
    if (activeProposal(ed)) { await refineOutline(ed); return; }
    ed.say("Draw a rough box around the object first (R), then press G.");
    return;
  }
  const item = ed.current;
  const box = { ...item.shapes[index] };
  if (await propose(ed, item, index, box, null)) ed.proposal = { item, index, box, inside: [], outside: [] };
}

// Ask again with the proposal's box and every stroke so far.
export async function refineOutline(ed) {
  const proposal = activeProposal(ed);
  if (!proposal) return;
  await propose(ed, proposal.item, proposal.index, proposal.box,
    { inside: proposal.inside, outside: proposal.outside });
}
