// The "inside" (I) and "outside" (O) tools: freehand strokes over a suggested outline, each of which asks for a
// new proposal with every stroke so far (suggest.js). Without a proposal they only say how to get one.
import { activeProposal, refineOutline } from "./suggest.js";

const MAX_STROKES = 50; // the API's caps: 50 polylines, 2,000 points in all
const MAX_POINTS = 2000;
const STEP = 3; // screen pixels between recorded points

function pointCount(proposal) {
  return [...proposal.inside, ...proposal.outside].reduce((sum, line) => sum + line.length, 0);
}

function scribbleTool(kind) {
  return {
    down(ed, p) {
      const proposal = activeProposal(ed);
      if (!proposal) { ed.say("Suggest an outline first: draw a rough box (R), then press G."); return; }
      if (proposal.inside.length + proposal.outside.length >= MAX_STROKES || pointCount(proposal) >= MAX_POINTS) {
        ed.say("That is as many marks as one outline can take: adjust its points by hand (V).", true);
        return;
      }
      ed.draft = { type: "scribble", kind, points: [[p.x, p.y]] };
    },
    move(ed, p) {
      const draft = ed.draft;
      if (!draft || draft.type !== "scribble") return;
      const [lx, ly] = draft.points[draft.points.length - 1];
      if (Math.hypot(p.x - lx, p.y - ly) * ed.view.scale >= STEP) draft.points.push([p.x, p.y]);
    },
    up(ed) {
      const draft = ed.draft;
      ed.draft = null;
      const proposal = activeProposal(ed);
      if (!draft || draft.type !== "scribble" || !proposal) return;
      const room = MAX_POINTS - pointCount(proposal);
      proposal[kind].push(draft.points.slice(0, Math.max(1, room)).map(([x, y]) => [Math.round(x), Math.round(y)]));
      refineOutline(ed);
    },
    cancel(ed) { ed.draft = null; },
  };
}

export const SCRIBBLE_TOOLS = { inside: scribbleTool("inside"), outside: scribbleTool("outside") };
