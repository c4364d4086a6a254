/**
 * "Today N · Streak N days · Total N": what this contributor did ("—" when unknown).
 */

/**
 * The texts of the counts from GET /api/v1/me (today, streak) and .../summary (total); "—" for what is missing.
 * @param {{total?: number} | null} summary
 * @param {{today?: {total?: number}, streak_days?: number} | null} me
 * @returns {{today: string, streak: string, total: string}}
 */
export function countTexts(summary, me) {
  const text = (n) => (Number.isFinite(n) ? String(n) : "—");
  return { today: text(me?.today?.total), streak: text(me?.streak_days), total: text(summary?.total) };
}

/**
 * Fill the count elements (``streak`` may be left out) from GET /api/v1/me and /api/v1/contributors/me/summary.
 * @param {ReturnType<import("../lib/api.js").createApiClient>} api
 * @param {{today: HTMLElement, total: HTMLElement, streak?: HTMLElement}} els
 */
export async function showSummary(api, els) {
  const [summary, me] = await Promise.all([api.summary().catch(() => null), api.me().catch(() => null)]);
  const texts = countTexts(summary, me);
  for (const [key, el] of Object.entries(els)) if (el) el.textContent = texts[key];
}
