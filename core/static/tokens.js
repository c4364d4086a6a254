// /me, for a logged-in account: create (shown once), list and revoke named API tokens; change the password;
// log out everywhere.
import { api, element, forgetLogin, storedToken, timeElement, whoAmI } from "./client.js";

const section = document.getElementById("tokens");
const list = document.getElementById("token-list");
const status = document.getElementById("token-status");

function row(token) {
  const revoke = element("button", { type: "button", className: "secondary", textContent: "Revoke" });
  revoke.addEventListener("click", async () => {
    await api("/api/v1/me/tokens/" + token.id, { method: "DELETE" }, false);
    status.textContent = `Revoked ${token.name}.`;
    await load();
  });
  const used = token.last_used_at ? ["last used ", timeElement(token.last_used_at)] : ["never used"];
  const expiry = token.expires_at ? [" · expires ", timeElement(token.expires_at)] : [];
  return element("li", { className: "token" }, element("strong", { textContent: token.name }),
    ` (${token.scopes.join(", ")}) · made `, timeElement(token.created_at), " · ", ...used, ...expiry, " ", revoke);
}

async function load() {
  const { tokens } = await api("/api/v1/me/tokens", {}, false);
  list.replaceChildren(...(tokens.length ? tokens.map(row) : [element("li", { className: "muted", textContent: "No tokens yet." })]));
}

document.getElementById("token-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const scopes = [...form.querySelectorAll("input[name=scope]:checked")].map((box) => box.value);
  const json = { name: form.name.value, scopes };
  if (form.expires.value) json.expires_at = form.expires.value + "T23:59:59Z";
  try {
    const made = await api("/api/v1/me/tokens", { method: "POST", json }, false);
    document.getElementById("token-secret").textContent = made.token;
    document.getElementById("token-new").hidden = false;
    status.textContent = `Created ${made.name}.`;
    form.name.value = "";
    await load();
  } catch (error) {
    status.textContent = error.message;
  }
});

document.getElementById("password-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const said = document.getElementById("password-status");
  try {
    await api("/api/v1/me/password", { method: "POST", json: { password: form.current.value, new_password: form.fresh.value } }, false);
    said.textContent = "Password changed; your other log-ins were logged out.";
    form.reset();
  } catch (error) {
    said.textContent = error.message;
  }
});

document.getElementById("logout-everywhere").addEventListener("click", async () => {
  await api("/api/v1/sessions", { method: "DELETE" }, false);
  forgetLogin();
  location.assign("/login");
});

async function start() {
  if (!storedToken()) { document.getElementById("me-signup").hidden = false; return; }
  const me = await whoAmI();
  if (!me.user) { document.getElementById("me-signup").hidden = false; return; }
  if (me.scope) return;  // a named API token (not a log-in) manages no tokens
  section.hidden = false;
  document.getElementById("scope-moderate").hidden = !me.user.roles.includes("moderator");
  await load();
}

start().catch((error) => { status.textContent = error.message; });
