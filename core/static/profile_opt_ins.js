// /me: an account's profile opt-ins (a public page at /people/<name>, its name in the weekly top list), saved with
// PATCH /api/v1/me as soon as a box changes.
import { api } from "./client.js";

export function showOptIns(me) {
  const form = document.getElementById("profile-form");
  const status = document.getElementById("profile-status");
  const link = document.getElementById("profile-link");
  form.hidden = false;
  link.href = "/people/" + encodeURIComponent(me.name);
  for (const box of form.querySelectorAll("input[type=checkbox]")) {
    box.checked = Boolean(me[box.name]);
    box.addEventListener("change", async () => {
      try {
        const saved = await api("/api/v1/me", { method: "PATCH", json: { [box.name]: box.checked } }, false);
        link.hidden = !saved.public_profile;
        status.textContent = "Saved.";
      } catch (error) {
        box.checked = !box.checked;
        status.textContent = error.message;
      }
    });
  }
  link.hidden = !me.public_profile;
}
