// /login: trade a user name and password for a token, kept in localStorage like the anonymous one.
import { api, forgetLogin, rememberLogin, storedToken, storedUser } from "./client.js";
import { drawAccount } from "./account.js";

const who = document.getElementById("who");
const status = document.getElementById("login-status");
const logout = document.getElementById("logout");

async function showWho() {
  if (!storedToken()) { who.textContent = "You are not logged in."; logout.hidden = true; return; }
  try {
    const me = await api("/api/v1/me", {}, false);
    who.textContent = me.kind === "account" ? `Logged in as ${me.name} (${(me.roles || [me.role]).join(", ")}).` : "You are using an anonymous token.";
    logout.hidden = me.kind !== "account";
  } catch {
    who.textContent = "Your stored token is no longer valid.";
  }
}

document.getElementById("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  status.textContent = "Logging in…";
  // only an anonymous token can be claimed (a stored log-in is not an anonymous history)
  const claim = event.target.claim.checked && Boolean(storedToken()) && !storedUser();
  const headers = { "Content-Type": "application/json", ...(claim ? { Authorization: "Bearer " + storedToken() } : {}) };
  const response = await fetch("/api/v1/sessions", {
    method: "POST", headers,
    body: JSON.stringify({ username: event.target.username.value, password: event.target.password.value, claim }),
  });
  const body = await response.json();
  if (!response.ok) { status.textContent = body.error.message; return; }
  rememberLogin(body.token, body.user);
  drawAccount(body.user);
  status.textContent = `Welcome, ${body.user.name}.`;
  event.target.password.value = "";
  const next = new URLSearchParams(location.search).get("next");
  if (next && next.startsWith("/") && !next.startsWith("//")) location.assign(next);
  else showWho();
});

logout.addEventListener("click", async () => {
  await api("/api/v1/sessions/current", { method: "DELETE" }, false).catch(() => null);  // revoked on the server too
  forgetLogin(); drawAccount(null); showWho();
});
showWho();

// after /me deleted the account (?deleted=keep or revert)
const deleted = new URLSearchParams(location.search).get("deleted");
if (deleted === "keep" || deleted === "revert") {
  status.textContent = deleted === "keep" ? "Your account was deleted; its contributions stay, credited to no one."
    : "Your account was deleted and its contributions reverted.";
}
