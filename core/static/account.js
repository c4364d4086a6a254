// The header's account corner on every page: "You" and "Log in" for a visitor; once logged in, the account's
// name (to /me), "Moderate" for moderators and admins, and "Log out". Tokens live in localStorage (no cookies),
// so this runs in the browser: it draws from what /login remembered at once, then asks the server to confirm.
import { TOKEN_KEY, USER_KEY, api, element, forgetLogin, storedToken, storedUser, whoAmI } from "./client.js";

const corner = document.getElementById("account");

function link(href, text, extra = {}) {
  const node = element("a", { href, textContent: text, ...extra });
  if (location.pathname === href) node.setAttribute("aria-current", "page");
  return node;
}

// revoke this log-in on the server too (a 401 or 403: it is already gone, or not a log-in), then forget it here
async function logOut() {
  await api("/api/v1/sessions/current", { method: "DELETE" }, false).catch(() => null);
  forgetLogin();
  location.reload();
}

/** Draw the corner for `user` ({name, roles}) or for a visitor (null). */
export function drawAccount(user) {
  if (!user) {
    corner.replaceChildren(link("/me", "You", { title: "Your donations, answers and outlines" }),
      link("/login", "Log in", { title: "For accounts: moderators and named contributors" }));
    delete corner.dataset.user;
    return;
  }
  const items = [link("/me", user.name, { className: "account-name", title: "Your account and contributions" })];
  if ((user.roles || []).some((role) => role === "moderator" || role === "admin")) items.push(link("/moderate", "Moderate"));
  const out = element("button", { type: "button", className: "link-button", textContent: "Log out" });
  out.addEventListener("click", logOut);
  items.push(out);
  corner.replaceChildren(...items);
  corner.dataset.user = user.name;
}

async function confirm(fresh = false) {
  if (!storedToken()) return drawAccount(null);
  try {
    const me = await whoAmI({ fresh });
    if (me.kind === "account") {
      const user = { name: me.name, roles: me.roles || [] };
      localStorage.setItem(USER_KEY, JSON.stringify(user));
      drawAccount(user);
    } else {
      localStorage.setItem(USER_KEY, "null");
      drawAccount(null);
    }
  } catch (error) {
    if (error.status === 401) forgetLogin();  // a revoked or expired login: back to a visitor
    drawAccount(storedUser());
  }
}

if (corner) {
  drawAccount(storedToken() ? storedUser() : null);
  // an account's token is confirmed (revoked, roles changed); a token not known yet (minted by another page of
  // the site or the extension's page) is asked about once; a known anonymous token has nothing to show
  if (storedToken() && (storedUser() || localStorage.getItem(USER_KEY) === null)) confirm();
  // another tab logged in or out
  window.addEventListener("storage", (event) => { if (event.key === TOKEN_KEY || event.key === USER_KEY) confirm(true); });
}

// on a phone the pages' row scrolls sideways: bring the current page's link into it
document.querySelector(".site-nav [aria-current]")?.scrollIntoView({ block: "nearest", inline: "nearest" });
