// The client side of page slots, for pages whose picture changes in the browser (docs/plugins.md, "Page slots").
// A slot's picture is the nearest `data-image-id` at or above it. A page that shows another picture marks it there
// and dispatches IMAGE_EVENT; a slot that takes the picture out of the contributor's tasks dispatches
// WITHDRAWN_EVENT, and the page moves on. Both bubble, with `detail: {image_id}` (a string, or null for none).
export const IMAGE_EVENT = "imagemonkey:image";
export const WITHDRAWN_EVENT = "imagemonkey:image-withdrawn";

function announce(node, type, imageId) {
  const detail = { image_id: imageId == null ? null : String(imageId) };
  node.dispatchEvent(new CustomEvent(type, { bubbles: true, detail }));
}

// the picture `node` (a slot's element) belongs to, or null
export function imageOf(node) {
  const holder = node.closest("[data-image-id]");
  return holder && holder.dataset.imageId ? holder.dataset.imageId : null;
}

// the page shows `imageId` (null: none) in `holder`: mark it and tell the slots inside
export function showImage(holder, imageId) {
  if (imageId == null) delete holder.dataset.imageId;
  else holder.dataset.imageId = String(imageId);
  announce(holder, IMAGE_EVENT, imageId);
}

// a slot took `imageId` out of the contributor's tasks: the page showing it moves on
export function withdrawImage(node, imageId) {
  announce(node, WITHDRAWN_EVENT, imageId);
}

// Tiles built in the browser: the page renders its tile slots once in a <template>; each call returns a copy for
// one tile (the tile carries `data-image-id`). The fragments' scripts and stylesheets load once, in <head>.
export function tileSlots(template) {
  if (!template) return () => document.createDocumentFragment();
  for (const asset of template.content.querySelectorAll("script[src], link[rel=stylesheet]")) {
    const copy = document.createElement(asset.localName);  // a fresh element, so that the script runs
    for (const { name, value } of asset.attributes) copy.setAttribute(name, value);
    document.head.append(copy);
    asset.remove();
  }
  return () => template.content.cloneNode(true);
}

// The page recorded the contributor's answer about an image label ("yes" on the validate page, a saved outline in
// the editor): slots may follow up (refine asks a property of it). Bubbles, with
// `detail: {image_id, image_label_id, label, answer, thumb}` (ids as strings; `thumb` a picture URL or null).
export const ANSWERED_EVENT = "imagemonkey:answered";

export function announceAnswer(node, { imageId, imageLabelId, label, answer, thumb = null }) {
  const detail = { image_id: String(imageId), image_label_id: String(imageLabelId), label, answer, thumb };
  node.dispatchEvent(new CustomEvent(ANSWERED_EVENT, { bubbles: true, detail }));
}
