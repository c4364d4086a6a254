/**
 * The extension's account: sign up (claiming this browser's anonymous token), log in, log out.
 *
 * Pure module like lib/api.js: `fetch` and the token store (lib/identity.js) are injected. The store keeps one
 * record per server; an account's record is `{token, client_id, account: {name, roles}}`, so every request the
 * extension makes afterwards is the account's. A record without `account` is the anonymous identity.
 */
import { ApiError, joinUrl, readBody, toError } from "./api.js";

/**
 * Account actions against one server.
 * @param {object} opts
 * @param {string} opts.baseUrl the server's address
 * @param {typeof fetch} opts.fetch the fetch implementation
 * @param {{get(): Promise<object|null>, set(v: object): Promise<void>, clear(): Promise<void>}} opts.tokens
 */
export function createAccountClient({ baseUrl, fetch: fetchImpl, tokens }) {
  async function send(method, path, { json, bearer } = {}) {
    const headers = { Accept: "application/json" };
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (json !== undefined) headers["Content-Type"] = "application/json";
    const init = { method, headers, credentials: "omit", body: json === undefined ? undefined : JSON.stringify(json) };
    try {
      return await fetchImpl(joinUrl(baseUrl, path), init);
    } catch (err) {
      throw new ApiError("unreachable", `Cannot reach the server at ${baseUrl}.`, { details: { cause: String(err) } });
    }
  }

  /** POST the credentials; with `claim` and an anonymous token kept here, that token goes along to be claimed. */
  async function enter(path, username, password, claim) {
    const record = await tokens.get();
    const anonymous = claim && record?.token && !record.account ? record.token : null;
    const json = anonymous ? { username, password, claim: true } : { username, password };
    const res = await send("POST", path, { json, bearer: anonymous });
    const body = await readBody(res);
    if (!res.ok || !body?.token || !body?.user) throw toError(res, body);
    const account = { name: body.user.name, roles: body.user.roles ?? [] };
    await tokens.set({ token: body.token, client_id: body.user.id, account });
    return { account, claimed: Boolean(anonymous) };
  }

  return {
    /**
     * POST /api/v1/accounts. With `claim` (the default), this browser's anonymous history becomes the account's.
     * @param {{username: string, password: string, claim?: boolean}} fields
     * @returns {Promise<{account: {name: string, roles: string[]}, claimed: boolean}>}
     */
    signUp: ({ username, password, claim = true }) => enter("/api/v1/accounts", username, password, claim),
    /**
     * POST /api/v1/sessions: log in to an existing account (its token replaces this browser's anonymous one). With
     * `claim` (the default), this browser's anonymous history moves to the account and the anonymous token is spent.
     * @param {{username: string, password: string, claim?: boolean}} fields
     */
    logIn: ({ username, password, claim = true }) => enter("/api/v1/sessions", username, password, claim),
    /** Log out: the server revokes this log-in's token (DELETE /api/v1/sessions/current); it is forgotten here. */
    async logOut() {
      const record = await tokens.get();
      if (record?.account) await send("DELETE", "/api/v1/sessions/current", { bearer: record.token }).catch(() => null);
      await tokens.clear();
    },
    /** The account logged in here, or null (anonymous). @returns {Promise<{name: string, roles: string[]}|null>} */
    current: async () => (await tokens.get())?.account ?? null,
  };
}
