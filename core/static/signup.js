// /signup: a new account; "Keep what this browser did" sends the anonymous token along so its history moves over.
import { rememberLogin, storedToken, storedUser } from "./client.js";
import { drawAccount } from "./account.js";

const status = document.getElementById("signup-status");

document.getElementById("signup").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  // only an anonymous token can be claimed (an account's login is not an anonymous history)
  const claim = form.claim.checked && Boolean(storedToken()) && !storedUser();
  status.textContent = "Creating your account…";
  const headers = { "Content-Type": "application/json", ...(claim ? { Authorization: "Bearer " + storedToken() } : {}) };
  const response = await fetch("/api/v1/accounts", {
    method: "POST", headers,
    body: JSON.stringify({ username: form.username.value, password: form.password.value, claim }),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) { status.textContent = body ? body.error.message : "Sign-up failed (" + response.status + ")."; return; }
  rememberLogin(body.token, body.user);
  drawAccount(body.user);
  form.password.value = "";
  status.replaceChildren(`Welcome, ${body.user.name}. `, Object.assign(document.createElement("a"),
    { href: "/me", textContent: "See your contributions and tokens" }), ".");
});
