/**
 * The API client for the configured server, for extension pages and the worker.
 */
import { createApiClient } from "./api.js";
import { tokenStore } from "./identity.js";
import { getServerUrl } from "./settings.js";

/**
 * An API client for the server the user chose.
 * @param {string} [serverUrl] defaults to the stored setting
 */
export async function currentClient(serverUrl) {
  const baseUrl = serverUrl ?? (await getServerUrl());
  return createApiClient({ baseUrl, fetch: (...a) => globalThis.fetch(...a), tokens: tokenStore(baseUrl) });
}
