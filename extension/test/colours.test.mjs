import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

// WCAG 2 contrast of two #rrggbb colours
function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};
const full = (hex) => (hex.length === 4 ? "#" + [...hex.slice(1)].map((c) => c + c).join("") : hex);

test("the pages' text colours reach 4.5:1 (WCAG AA) in the light and the dark scheme", () => {
  const css = readFileSync(new URL("../ui/pages.css", import.meta.url), "utf8");
  const [light, dark] = [...css.matchAll(/:root\s*{([^}]*)}/g)].map((m) =>
    Object.fromEntries([...m[1].matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{3,6})/g)].map(([, k, v]) => [k, full(v)])));
  for (const scheme of [light, { ...light, ...dark }]) {
    assert.ok(contrast(scheme.accent, scheme["accent-fg"]) >= 4.5, `button text ${scheme["accent-fg"]} on ${scheme.accent}`);
    assert.ok(contrast(scheme.accent, scheme.bg) >= 4.5, `links ${scheme.accent} on ${scheme.bg}`);
    assert.ok(contrast(scheme.fg, scheme.bg) >= 4.5, `text ${scheme.fg} on ${scheme.bg}`);
  }
});
