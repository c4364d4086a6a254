import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiError, createApiClient, joinUrl, parseRetryAfter } from "../lib/api.js";

/** A fake fetch that answers from a list of handlers and records calls. */
function fakeFetch(routes) {
  const calls = [];
  const impl = async (url, init = {}) => {
    calls.push({ url, init });
    const path = new URL(url).pathname + new URL(url).search;
    const key = `${init.method ?? "GET"} ${path}`;
    const handler = routes[key];
    if (!handler) return new Response(JSON.stringify({ error: { code: "not_found", message: key } }), { status: 404 });
    return handler({ url, init, calls });
  };
  return { impl, calls };
}

const json = (body, status = 200, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

function memoryTokens(initial = null) {
  let value = initial;
  return { get: async () => value, set: async (v) => { value = v; }, clear: async () => { value = null; }, peek: () => value };
}

test("joinUrl joins base and path with exactly one slash", () => {
  assert.equal(joinUrl("http://h:1/", "/api/v1/info"), "http://h:1/api/v1/info");
  assert.equal(joinUrl("http://h:1/prefix", "api/v1/info"), "http://h:1/prefix/api/v1/info");
  assert.equal(joinUrl("http://h:1", "https://other/x"), "https://other/x");
});

test("parseRetryAfter reads seconds and HTTP dates", () => {
  assert.equal(parseRetryAfter("30"), 30);
  assert.equal(parseRetryAfter(null), null);
  const now = Date.parse("2024-01-01T00:00:00Z");
  assert.equal(parseRetryAfter("Mon, 01 Jan 2024 00:01:00 GMT", now), 60);
  assert.equal(parseRetryAfter("nonsense"), null);
});

test("a write fetches an anonymous token once and sends it as Bearer", async () => {
  let clients = 0;
  const { impl, calls } = fakeFetch({
    "POST /api/v1/clients": () => { clients++; return json({ client_id: "c1", token: "tok1" }, 201); },
    "GET /api/v1/tasks/next?kind=validate": () => new Response(null, { status: 204 }),
  });
  const tokens = memoryTokens();
  const api = createApiClient({ baseUrl: "http://s", fetch: impl, tokens });
  assert.equal(await api.nextTask("validate"), null);
  assert.equal(await api.nextTask("validate"), null);
  assert.equal(clients, 1);
  assert.deepEqual(tokens.peek(), { token: "tok1", client_id: "c1" });
  const authed = calls.filter((c) => c.url.includes("tasks"));
  for (const c of authed) assert.equal(c.init.headers.Authorization, "Bearer tok1");
  for (const c of calls) assert.equal(c.init.credentials, "omit");
});

test("concurrent writes share one token request", async () => {
  let clients = 0;
  const { impl } = fakeFetch({
    "POST /api/v1/clients": async () => { clients++; await new Promise((r) => setTimeout(r, 5)); return json({ client_id: "c", token: "t" }, 201); },
    "GET /api/v1/contributors/me/summary": () => json({ today: 1, total: 2 }),
  });
  const api = createApiClient({ baseUrl: "http://s", fetch: impl, tokens: memoryTokens() });
  await Promise.all([api.summary(), api.summary(), api.summary()]);
  assert.equal(clients, 1);
});

test("a 401 replaces the token and retries exactly once", async () => {
  let n = 0;
  const { impl, calls } = fakeFetch({
    "POST /api/v1/clients": () => json({ client_id: "c2", token: "fresh" }, 201),
    "POST /api/v1/image-labels/L1/votes": ({ init }) => {
      n++;
      return init.headers.Authorization === "Bearer fresh"
        ? json({ id: "L1", votes: { yes: 1, no: 0, unsure: 0 } })
        : json({ error: { code: "unauthenticated", message: "bad token" } }, 401);
    },
  });
  const tokens = memoryTokens({ token: "stale" });
  const api = createApiClient({ baseUrl: "http://s", fetch: impl, tokens });
  const label = await api.answer("/api/v1/image-labels/L1/votes", { vote: "yes" });
  assert.equal(label.votes.yes, 1);
  assert.equal(n, 2);
  assert.equal(tokens.peek().token, "fresh");
  assert.deepEqual(JSON.parse(calls.at(-1).init.body), { vote: "yes" });
});

test("answers go only to this server's API paths", async () => {
  const { impl, calls } = fakeFetch({});
  const api = createApiClient({ baseUrl: "http://s", fetch: impl, tokens: memoryTokens({ token: "t" }) });
  for (const path of ["https://evil.example/api/v1/x", "//evil.example/api/", "/validate", null]) {
    await assert.rejects(api.answer(path, { vote: "yes" }), (err) => err.code === "invalid_action");
  }
  assert.equal(calls.length, 0);
});

test("postForm sends a form with the token, only to this server's API paths, and reads 4xx errors", async () => {
  let form;
  const { impl, calls } = fakeFetch({
    "POST /api/v1/zz/guesses": ({ init }) => { form = init.body; return json({ predictions: [] }); },
    "POST /api/v1/zz/none": () => json({ error: { code: "no_model", message: "No model is active yet." } }, 409),
  });
  const api = createApiClient({ baseUrl: "http://s", fetch: impl, tokens: memoryTokens({ token: "t" }) });
  const sent = new FormData();
  sent.append("image", new Blob([new Uint8Array([1])], { type: "image/png" }), "image.png");
  assert.deepEqual(await api.postForm("/api/v1/zz/guesses", sent), { predictions: [] });
  assert.equal(form, sent);
  assert.equal(calls[0].init.headers.Authorization, "Bearer t");
  await assert.rejects(api.postForm("/api/v1/zz/none", sent),
    (e) => e.code === "no_model" && e.status === 409 && e.message === "No model is active yet.");
  for (const path of ["https://evil.example/api/v1/x", "/zz", null]) {
    await assert.rejects(api.postForm(path, sent), (err) => err.code === "invalid_action");
  }
  assert.equal(calls.length, 2);
});

test("a second 401 is an error, not a loop", async () => {
  let clients = 0;
  const { impl } = fakeFetch({
    "POST /api/v1/clients": () => { clients++; return json({ client_id: "c", token: `t${clients}` }, 201); },
    "GET /api/v1/contributors/me/summary": () => json({ error: { code: "unauthenticated", message: "no" } }, 401),
  });
  const api = createApiClient({ baseUrl: "http://s", fetch: impl, tokens: memoryTokens() });
  await assert.rejects(api.summary(), (e) => e instanceof ApiError && e.code === "unauthenticated" && e.status === 401);
  assert.equal(clients, 2);
});

test("errors carry the server's code, message and Retry-After", async () => {
  const { impl } = fakeFetch({
    "POST /api/v1/clients": () => json({ client_id: "c", token: "t" }, 201),
    "POST /api/v1/images": () => json({ error: { code: "rate_limited", message: "slow down" } }, 429, { "Retry-After": "42" }),
  });
  const api = createApiClient({ baseUrl: "http://s", fetch: impl, tokens: memoryTokens() });
  await assert.rejects(api.donate({ image: new Blob([new Uint8Array([1])]) }), (e) => {
    assert.equal(e.code, "rate_limited");
    assert.equal(e.message, "slow down");
    assert.equal(e.retryAfter, 42);
    assert.equal(e.status, 429);
    return true;
  });
});

test("a network failure is the 'unreachable' error", async () => {
  const api = createApiClient({ baseUrl: "http://down", fetch: async () => { throw new TypeError("Failed to fetch"); }, tokens: memoryTokens() });
  await assert.rejects(api.info(), (e) => e.code === "unreachable");
});

test("a non-JSON error page still becomes a readable error", async () => {
  const api = createApiClient({ baseUrl: "http://s", fetch: async () => new Response("<html>bad gateway</html>", { status: 502 }), tokens: memoryTokens() });
  await assert.rejects(api.info(), (e) => e.code === "http_502" && /502/.test(e.message));
});

test("donate sends multipart fields image, label (repeated), source_url, page_url", async () => {
  let form;
  const { impl } = fakeFetch({
    "POST /api/v1/clients": () => json({ client_id: "c", token: "t" }, 201),
    "POST /api/v1/images": ({ init }) => { form = init.body; return json({ image: { id: "I1" }, duplicate: true }, 200); },
  });
  const api = createApiClient({ baseUrl: "http://s", fetch: impl, tokens: memoryTokens() });
  const r = await api.donate({ image: new Blob([new Uint8Array([1, 2])], { type: "image/png" }), filename: "image.png",
    labels: ["apple", "fruit"], sourceUrl: "https://x/a.png", pageUrl: "https://x/" });
  assert.deepEqual(r, { image: { id: "I1" }, duplicate: true });
  assert.ok(form instanceof FormData);
  assert.deepEqual(form.getAll("label"), ["apple", "fruit"]);
  assert.equal(form.get("source_url"), "https://x/a.png");
  assert.equal(form.get("page_url"), "https://x/");
  assert.equal(form.get("image").name, "image.png");
});

test("labels() revalidates with If-None-Match and understands 304", async () => {
  const { impl, calls } = fakeFetch({
    "GET /api/v1/labels": ({ init }) =>
      init.headers["If-None-Match"] === '"v1"' ? new Response(null, { status: 304 }) : json({ version: 1, labels: [] }, 200, { ETag: '"v1"' }),
  });
  const api = createApiClient({ baseUrl: "http://s", fetch: impl, tokens: memoryTokens() });
  const first = await api.labels();
  assert.equal(first.etag, '"v1"');
  assert.equal(first.notModified, false);
  const second = await api.labels('"v1"');
  assert.equal(second.notModified, true);
  assert.equal(calls[0].init.headers.Authorization, undefined, "reading public data sends no token");
});
