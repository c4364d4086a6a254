/**
 * The API client for the configured server, for extension pages and the worker.
 */
import { createAccountClient } from "./account.js";
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

/**
 * Account actions (sign up, log in, log out) for the server the user chose, sharing the API client's token store.
 * @param {string} [serverUrl] defaults to the stored setting
 */
export async function currentAccount(serverUrl) {
  const baseUrl = serverUrl ?? (await getServerUrl());
  return createAccountClient({ baseUrl, fetch: (...a) => globalThis.fetch(...a), tokens: tokenStore(baseUrl) });
}
