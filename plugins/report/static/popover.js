// A tile's report form (a compact action) opens as a popover: in the top layer, so the tile never clips it, next to
// its button and always inside the viewport. On a phone (<= 600 px) report.css makes it a sheet at the bottom.
const PHONE = window.matchMedia("(max-width: 600px)");
const MARGIN = 8;  // px kept free at the viewport's edges
const GAP = 4;  // px between the button and the popover
const TOP_LAYER = typeof HTMLElement.prototype.showPopover === "function";
let shown = null;  // {form, button} of the open popover

const clamp = (value, low, high) => Math.max(low, Math.min(value, high));

// under the button if the form fits there; else beside the picture's tile (so the picture stays in sight), its
// foot level with the button; else over the button; always inside the viewport (a form too tall for it scrolls)
function place({ form, button }) {
  form.style.top = form.style.left = form.style.maxHeight = "";
  if (PHONE.matches) return;  // the sheet: report.css alone
  const viewWidth = document.documentElement.clientWidth;
  const viewHeight = document.documentElement.clientHeight;
  const anchor = button.getBoundingClientRect();
  const tile = (button.closest("[data-image-id]") || button).getBoundingClientRect();
  const width = form.offsetWidth;
  const height = Math.min(form.offsetHeight, viewHeight - 2 * MARGIN);
  let top = anchor.bottom + GAP;
  let left = anchor.left;
  if (top + height > viewHeight - MARGIN) {
    const right = tile.right + GAP;
    const beside = right + width <= viewWidth - MARGIN ? right : tile.left - GAP - width;
    if (beside >= MARGIN) [left, top] = [beside, anchor.bottom - height];
    else top = anchor.top - GAP - height;
  }
  form.style.top = clamp(top, MARGIN, viewHeight - MARGIN - height) + "px";
  form.style.left = clamp(left, MARGIN, viewWidth - MARGIN - width) + "px";
  form.style.maxHeight = height + "px";
}

/** Open `form` as the popover of `button` (one at a time: the caller closes any other first). */
export function showPopover(form, button) {
  form.hidden = false;
  if (TOP_LAYER) {
    form.popover = "manual";  // report.js closes it: Escape, a click outside, focus leaving it
    form.showPopover();
  }
  shown = { form, button };
  place(shown);
}

/** Close `form` if it is open. */
export function hidePopover(form) {
  if (TOP_LAYER && form.matches(":popover-open")) form.hidePopover();
  form.hidden = true;
  if (shown && shown.form === form) shown = null;
}

// the popover stays by its button while the page scrolls or the window changes size
let frame = 0;
function follow() {
  if (!shown || frame) return;
  frame = requestAnimationFrame(() => { frame = 0; if (shown) place(shown); });
}
window.addEventListener("scroll", follow, { passive: true });
window.addEventListener("resize", follow);
PHONE.addEventListener("change", follow);
