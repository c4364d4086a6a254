/**
 * The picture's caption under a question card: its best settled caption (the server's Image JSON `caption`,
 * chosen by votes or locked by a moderator) and a one-line form to add a caption of one's own
 * (`POST /api/v1/images/{id}/captions`, core's API).
 */
import { describeError } from "../lib/messages.js";
import { t } from "../lib/i18n.js";

/** The longest caption the server takes. */
export const MAX_CAPTION = 200;

/**
 * The text to show for an Image JSON's settled caption, or null when it has none.
 * @param {{caption?: {text?: string}|null}|null|undefined} image
 */
export function settledCaption(image) {
  const text = image?.caption?.text;
  return typeof text === "string" && text.trim() ? text : null;
}

/**
 * The language tag sent with a new caption: the browser's (`en-GB`), or `en` when it has none the server takes.
 * @param {string|undefined} tag navigator.language
 */
export function captionLanguage(tag) {
  return typeof tag === "string" && /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(tag) ? tag : "en";
}

/**
 * Render the caption box into `root`; `show(image)` fills it for the card's current picture.
 * @param {HTMLElement} root an empty element
 * @param {{api: {answer(path: string, body: object): Promise<object>}, language?: string}} opts
 * @returns {{show(image: {id: string, caption?: object|null}): void}}
 */
export function mountCaptionBox(root, { api, language = globalThis.navigator?.language }) {
  root.classList.add("caption-box");
  root.innerHTML = `
    <p class="caption-settled"><span class="caption-heading"></span> <q class="caption-text"></q></p>
    <form class="caption-form">
      <label class="caption-label"><span></span><input type="text" class="caption-input" required></label>
      <button type="submit" class="secondary caption-add"></button>
    </form>
    <p class="caption-status" role="status" aria-live="polite"></p>`;
  const settled = root.querySelector(".caption-settled");
  const text = root.querySelector(".caption-text");
  const form = root.querySelector(".caption-form");
  const input = root.querySelector(".caption-input");
  input.maxLength = MAX_CAPTION;
  const button = root.querySelector(".caption-add");
  const status = root.querySelector(".caption-status");
  root.querySelector(".caption-heading").textContent = t("captionHeading");
  root.querySelector(".caption-label span").textContent = t("captionLabel");
  button.textContent = t("captionAdd");
  let image = null;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!image || !value || button.disabled) return;
    button.disabled = true;
    root.setAttribute("aria-busy", "true");
    status.className = "caption-status";
    status.textContent = "";
    try {
      await api.answer(`/api/v1/images/${encodeURIComponent(image.id)}/captions`,
        { text: value, language: captionLanguage(language) });
      input.value = "";
      status.classList.add("ok");
      status.textContent = t("captionThanks");
    } catch (err) {
      status.classList.add("error");
      status.textContent = describeError(err ?? {}, t);
    } finally {
      button.disabled = false;
      root.setAttribute("aria-busy", "false");
    }
  });

  return {
    show(next) {
      image = next;
      const caption = settledCaption(next);
      settled.hidden = caption === null;
      text.textContent = caption ?? "";
      input.value = "";
      status.textContent = "";
      root.dataset.imageId = next?.id ?? "";
      root.setAttribute("aria-busy", "false");
    },
  };
}
