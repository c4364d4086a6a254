/**
 * The WebExtension namespace: `browser` in Firefox (promise-based), `chrome`
 * elsewhere (promise-based in Manifest V3). Modules import this instead of
 * touching either global, so the same code runs in both browsers.
 * @type {any}
 */
export const ext = globalThis.browser ?? globalThis.chrome;
