/**
 * The ImageMonkey HTTP API client (see shared/design/API.md).
 *
 * Pure module: no browser globals. `fetch` and the token store are injected,
 * so it runs in the service worker, the extension pages and `node --test`.
 */

/** An API failure with the server's machine code, or "unreachable". */
export class ApiError extends Error {
  /**
   * @param {string} code machine code, e.g. "too_large", "rate_limited", "unreachable"
   * @param {string} message text a person can act on
   * @param {{status?: number, retryAfter?: number|null, details?: object}} [extra]
   */
  constructor(code, message, extra = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = extra.status ?? 0;
    this.retryAfter = extra.retryAfter ?? null;
    this.details = extra.details ?? {};
  }
}

/**
 * Seconds to wait from a Retry-After header (seconds or an HTTP date).
 * @param {string|null} value header value
 * @param {number} [now] current time in ms
 * @returns {number|null}
 */
export function parseRetryAfter(value, now = Date.now()) {
  if (value == null || value === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * Join the server's base address and an absolute API path.
 * @param {string} baseUrl e.g. "http://127.0.0.1:6543" (a trailing slash is fine)
 * @param {string} path e.g. "/api/v1/info"; an absolute URL is returned as is
 * @returns {string}
 */
export function joinUrl(baseUrl, path) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return path;
  return baseUrl.replace(/\/+$/, "") + "/" + path.replace(/^\/+/, "");
}

/**
 * Create an API client.
 * @param {object} opts
 * @param {string} opts.baseUrl the server's address
 * @param {typeof fetch} opts.fetch the fetch implementation
 * @param {{get(): Promise<{token: string, client_id?: string}|null>, set(v: object): Promise<void>, clear(): Promise<void>}} opts.tokens
 *   where the anonymous identity is kept
 */
export function createApiClient({ baseUrl, fetch: fetchImpl, tokens }) {
  let pendingToken = null;

  async function newToken() {
    const res = await send("POST", "/api/v1/clients", { json: {} });
    const body = await readBody(res);
    if (!res.ok || !body?.token) throw toError(res, body);
    const record = { token: body.token, client_id: body.client_id };
    await tokens.set(record);
    return record.token;
  }

  /** The stored token, or a new one (one request at a time). */
  async function token() {
    const record = await tokens.get();
    if (record?.token) return record.token;
    pendingToken ??= newToken().finally(() => { pendingToken = null; });
    return pendingToken;
  }

  async function send(method, path, { json, form, headers = {}, bearer } = {}) {
    const init = { method, headers: { Accept: "application/json", ...headers }, credentials: "omit" };
    if (bearer) init.headers.Authorization = `Bearer ${bearer}`;
    if (json !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(json);
    } else if (form !== undefined) {
      init.body = form;
    }
    try {
      return await fetchImpl(joinUrl(baseUrl, path), init);
    } catch (err) {
      throw new ApiError("unreachable", `Cannot reach the server at ${baseUrl}.`, { details: { cause: String(err) } });
    }
  }

  /**
   * One request. With `auth`, sends the token and, on a 401, replaces the token
   * and retries once.
   */
  async function request(method, path, opts = {}) {
    if (!opts.auth) return send(method, path, opts);
    let bearer = await token();
    let res = await send(method, path, { ...opts, bearer });
    if (res.status === 401) {
      await tokens.clear();
      bearer = await token();
      res = await send(method, path, { ...opts, bearer });
    }
    return res;
  }

  async function json(method, path, opts) {
    const res = await request(method, path, opts);
    if (res.status === 204 || res.status === 304) return { status: res.status, body: null, headers: res.headers };
    const body = await readBody(res);
    if (!res.ok) throw toError(res, body);
    return { status: res.status, body, headers: res.headers };
  }

  return {
    baseUrl,
    /** Absolute URL for a server path. @param {string} path */
    url: (path) => joinUrl(baseUrl, path),
    /** The current token, fetching one if needed. */
    token,
    /** GET /api/v1/info */
    info: async () => (await json("GET", "/api/v1/info")).body,
    /** GET /api/v1/extension → the actions list */
    actions: async () => (await json("GET", "/api/v1/extension")).body?.actions ?? [],
    /**
     * GET /api/v1/labels with If-None-Match.
     * @param {string} [etag]
     * @returns {Promise<{notModified: boolean, etag: string|null, catalog: object|null}>}
     */
    labels: async (etag) => {
      const r = await json("GET", "/api/v1/labels", { headers: etag ? { "If-None-Match": etag } : {} });
      return { notModified: r.status === 304, etag: r.headers?.get?.("ETag") ?? null, catalog: r.body };
    },
    /**
     * POST /api/v1/images (multipart).
     * @param {{image: Blob, filename?: string, labels?: string[], sourceUrl?: string, pageUrl?: string}} d
     * @returns {Promise<{image: object, duplicate: boolean}>}
     */
    donate: async ({ image, filename = "image", labels = [], sourceUrl, pageUrl }) => {
      const form = new FormData();
      form.append("image", image, filename);
      for (const label of labels) form.append("label", label);
      if (sourceUrl) form.append("source_url", sourceUrl);
      if (pageUrl) form.append("page_url", pageUrl);
      const r = await json("POST", "/api/v1/images", { form, auth: true });
      return { image: r.body.image, duplicate: Boolean(r.body.duplicate) };
    },
    /** GET /api/v1/images/{id} as this contributor. @param {string} id */
    image: async (id) => (await json("GET", `/api/v1/images/${encodeURIComponent(id)}`, { auth: true })).body,
    /**
     * GET /api/v1/tasks/next?kind=...; null when there is nothing to do (204).
     * @param {string} kind
     */
    nextTask: async (kind) => (await json("GET", `/api/v1/tasks/next?kind=${encodeURIComponent(kind)}`, { auth: true })).body?.task ?? null,
    /**
     * POST an answer to a task, to the path a server's task action names.
     * @param {string} path an /api/ path, already filled in
     * @param {object} body the JSON body, e.g. {vote: "yes"}
     */
    answer: async (path, body) => (await json("POST", apiPath(path), { json: body, auth: true })).body,
    /**
     * POST a multipart form to the path a server's action names (e.g. a picture to predict).
     * @param {string} path an /api/ path
     * @param {FormData} form
     */
    postForm: async (path, form) => (await json("POST", apiPath(path), { form, auth: true })).body,
    /** GET /api/v1/contributors/me/summary → {today, total} */
    summary: async () => (await json("GET", "/api/v1/contributors/me/summary", { auth: true })).body,
    /** GET /api/v1/me → {today: {total, ...}, streak_days, counts, ...}: today's count and the streak, from counters */
    me: async () => (await json("GET", "/api/v1/me", { auth: true })).body,
    /**
     * Any server file as a Blob, sent with the token (e.g. a pending image).
     * @param {string} path absolute path such as /api/v1/images/ID/file?size=medium
     * @returns {Promise<Blob>}
     */
    file: async (path) => {
      const res = await request("GET", path, { auth: true, headers: { Accept: "image/*" } });
      if (!res.ok) throw toError(res, await readBody(res));
      return res.blob();
    },
  };
}

/** A path from a server's action: only ever this server's API, never another host. */
function apiPath(path) {
  if (typeof path !== "string" || !path.startsWith("/api/")) throw new ApiError("invalid_action", `not an API path: ${path}`);
  return path;
}

/** The JSON body of a response (null when empty; {raw} when not JSON). */
export async function readBody(res) {
  const text = await res.text().catch(() => "");
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { raw: text };
  }
}

/** An ApiError from a failed response and its body (the server's code and message, Retry-After). */
export function toError(res, body) {
  const err = body?.error ?? {};
  const retryAfter = parseRetryAfter(res.headers?.get?.("Retry-After")) ?? (Number.isFinite(err.retry_after) ? err.retry_after : null);
  return new ApiError(err.code || `http_${res.status}`, err.message || `The server answered ${res.status}.`, {
    status: res.status,
    retryAfter,
    details: err,
  });
}
