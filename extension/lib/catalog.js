/**
 * The label catalog, cached in memory and in storage, revalidated with ETag.
 */
import { ext } from "./ext.js";
import { flattenCatalog } from "./labels.js";

const FRESH_MS = 10 * 60_000;
const memory = new Map(); // serverUrl → {entries, etag, checkedAt}

/**
 * Searchable label entries for a server (empty when it is unreachable and
 * nothing is cached).
 * @param {ReturnType<import("./api.js").createApiClient>} api
 * @returns {Promise<import("./labels.js").LabelEntry[]>}
 */
export async function labelEntries(api) {
  const key = api.baseUrl;
  let cached = memory.get(key);
  if (!cached) {
    const stored = (await ext.storage.local.get("catalogs")).catalogs?.[key];
    if (stored) cached = { entries: flattenCatalog(stored.catalog), etag: stored.etag, catalog: stored.catalog, checkedAt: 0 };
  }
  if (cached && Date.now() - cached.checkedAt < FRESH_MS) return cached.entries;
  try {
    const r = await api.labels(cached?.etag);
    if (r.notModified && cached) {
      cached.checkedAt = Date.now();
    } else if (r.catalog) {
      cached = { entries: flattenCatalog(r.catalog), etag: r.etag, catalog: r.catalog, checkedAt: Date.now() };
      const all = (await ext.storage.local.get("catalogs")).catalogs ?? {};
      all[key] = { etag: r.etag, catalog: r.catalog };
      await ext.storage.local.set({ catalogs: all });
    }
  } catch {
    // offline: keep what we have
  }
  if (cached) memory.set(key, cached);
  return cached?.entries ?? [];
}
