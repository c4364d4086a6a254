import assert from "node:assert/strict";
import { test } from "node:test";
import { createAccountClient } from "../lib/account.js";

const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

function memoryTokens(initial = null) {
  let value = initial;
  return { get: async () => value, set: async (v) => { value = v; }, clear: async () => { value = null; }, peek: () => value };
}

function recording(answer) {
  const calls = [];
  const impl = async (url, init = {}) => {
    calls.push({ url, method: init.method, headers: init.headers, body: init.body ? JSON.parse(init.body) : undefined });
    return answer(url, init);
  };
  return { impl, calls };
}

const USER = { token: "session-1", user: { id: "7", name: "ada", roles: ["contributor"] } };

test("sign-up with claim sends the anonymous token and keeps the account's session token", async () => {
  const tokens = memoryTokens({ token: "anon-1", client_id: "7" });
  const { impl, calls } = recording(() => json(USER, 201));
  const accounts = createAccountClient({ baseUrl: "http://h:1/", fetch: impl, tokens });
  const answer = await accounts.signUp({ username: "ada", password: "plum-harbor-quietly-77" });
  assert.deepEqual(answer, { account: { name: "ada", roles: ["contributor"] }, claimed: true });
  assert.equal(calls[0].url, "http://h:1/api/v1/accounts");
  assert.equal(calls[0].method, "POST");
  assert.equal(calls[0].headers.Authorization, "Bearer anon-1");
  assert.deepEqual(calls[0].body, { username: "ada", password: "plum-harbor-quietly-77", claim: true });
  assert.deepEqual(tokens.peek(), { token: "session-1", client_id: "7", account: { name: "ada", roles: ["contributor"] } });
  assert.deepEqual(await accounts.current(), { name: "ada", roles: ["contributor"] });
});

test("sign-up without claim, or with no anonymous token yet, sends no token", async () => {
  for (const [initial, claim] of [[{ token: "anon-1" }, false], [null, true]]) {
    const { impl, calls } = recording(() => json(USER, 201));
    const accounts = createAccountClient({ baseUrl: "http://h:1", fetch: impl, tokens: memoryTokens(initial) });
    const answer = await accounts.signUp({ username: "ada", password: "plum-harbor-quietly-77", claim });
    assert.equal(answer.claimed, false);
    assert.equal(calls[0].headers.Authorization, undefined);
    assert.deepEqual(calls[0].body, { username: "ada", password: "plum-harbor-quietly-77" });
  }
});

test("a refused sign-up is the server's error and keeps the anonymous token", async () => {
  const tokens = memoryTokens({ token: "anon-1" });
  const { impl } = recording(() => json({ error: { code: "weak_password", message: "The password needs at least 12 characters." } }, 422));
  const accounts = createAccountClient({ baseUrl: "http://h:1", fetch: impl, tokens });
  await assert.rejects(accounts.signUp({ username: "ada", password: "short" }), (err) => err.code === "weak_password" && err.status === 422 && /12 characters/.test(err.message));
  assert.deepEqual(tokens.peek(), { token: "anon-1" });
});

test("log in claims this browser's anonymous token by default", async () => {
  const tokens = memoryTokens({ token: "anon-1", client_id: "3" });
  const { impl, calls } = recording(() => json(USER, 201));
  const accounts = createAccountClient({ baseUrl: "http://h:1", fetch: impl, tokens });
  const answer = await accounts.logIn({ username: "ada", password: "plum-harbor-quietly-77" });
  assert.equal(answer.claimed, true);
  assert.equal(calls[0].url, "http://h:1/api/v1/sessions");
  assert.equal(calls[0].headers.Authorization, "Bearer anon-1");
  assert.deepEqual(calls[0].body, { username: "ada", password: "plum-harbor-quietly-77", claim: true });
  assert.deepEqual(tokens.peek(), { token: "session-1", client_id: "7", account: { name: "ada", roles: ["contributor"] } });
});

test("log in without claim sends no token; log out revokes the session on the server and forgets it", async () => {
  const tokens = memoryTokens({ token: "anon-1" });
  const { impl, calls } = recording((url, init) => (init.method === "DELETE" ? new Response(null, { status: 204 }) : json(USER, 201)));
  const accounts = createAccountClient({ baseUrl: "http://h:1", fetch: impl, tokens });
  const answer = await accounts.logIn({ username: "ada", password: "plum-harbor-quietly-77", claim: false });
  assert.equal(answer.claimed, false);
  assert.equal(calls[0].url, "http://h:1/api/v1/sessions");
  assert.equal(calls[0].headers.Authorization, undefined);
  assert.equal(tokens.peek().token, "session-1");
  await accounts.logOut();
  assert.equal(calls[1].method, "DELETE");
  assert.equal(calls[1].url, "http://h:1/api/v1/sessions/current");
  assert.equal(calls[1].headers.Authorization, "Bearer session-1");
  assert.equal(tokens.peek(), null);
  assert.equal(await accounts.current(), null);
});

test("an unreachable server is an ApiError 'unreachable'", async () => {
  const accounts = createAccountClient({ baseUrl: "http://h:1", fetch: async () => { throw new TypeError("fail"); }, tokens: memoryTokens() });
  await assert.rejects(accounts.logIn({ username: "a", password: "b" }), (err) => err.code === "unreachable");
});
