/**
 * "Today N · Total N": what this contributor did ("—" when unknown).
 */

/**
 * Fill the two count elements from GET /api/v1/contributors/me/summary.
 * @param {ReturnType<import("../lib/api.js").createApiClient>} api
 * @param {{today: HTMLElement, total: HTMLElement}} els
 */
export async function showSummary(api, els) {
  try {
    const s = await api.summary();
    els.today.textContent = Number.isFinite(s?.today) ? String(s.today) : "—";
    els.total.textContent = Number.isFinite(s?.total) ? String(s.total) : "—";
  } catch {
    els.today.textContent = "—";
    els.total.textContent = "—";
  }
}
