import { ext } from "./ext.js";

/**
 * Translate a message key from _locales/<lang>/messages.json.
 * Falls back to the key itself, so a missing string is visible, never blank.
 * @param {string} key message name
 * @param {string|string[]} [subs] substitutions for $1, $2, ...
 * @returns {string}
 */
export function t(key, subs) {
  const text = ext?.i18n?.getMessage(key, subs);
  return text || key;
}

/**
 * Fill every element under `root` that carries data-i18n (text content),
 * data-i18n-placeholder, data-i18n-title or data-i18n-aria-label.
 * @param {ParentNode} root
 */
export function localize(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const attr of ["placeholder", "title", "aria-label"]) {
    const data = "i18n" + attr.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join("");
    for (const el of root.querySelectorAll(`[data-i18n-${attr}]`)) el.setAttribute(attr, t(el.dataset[data]));
  }
}
