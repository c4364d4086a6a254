/**
 * The anonymous identity: one token per server, kept in chrome.storage.local.
 */
import { ext } from "./ext.js";

const KEY = "identities";

/**
 * A token store for lib/api.js bound to one server.
 * @param {string} serverUrl
 * @returns {{get(): Promise<{token: string, client_id?: string}|null>, set(v: object): Promise<void>, clear(): Promise<void>}}
 */
export function tokenStore(serverUrl) {
  const read = async () => (await ext.storage.local.get(KEY))[KEY] ?? {};
  return {
    async get() {
      return (await read())[serverUrl] ?? null;
    },
    async set(record) {
      const all = await read();
      all[serverUrl] = { ...record, created_at: new Date().toISOString() };
      await ext.storage.local.set({ [KEY]: all });
    },
    async clear() {
      const all = await read();
      delete all[serverUrl];
      await ext.storage.local.set({ [KEY]: all });
    },
  };
}

/** Forget every anonymous identity; the next write asks for a new one. */
export async function resetIdentities() {
  await ext.storage.local.remove(KEY);
}
