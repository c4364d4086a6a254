// /me, for a logged-in account: delete it (password again, keep or revert the contributions), after a confirmation.
import { api, forgetLogin } from "./client.js";

const form = document.getElementById("delete-form");
const confirmBox = document.getElementById("delete-confirm");
const said = document.getElementById("delete-status");
const WORDS = {
  keep: "Your contributions stay in the dataset, credited to no one.",
  revert: "Every contribution is reverted: your donations are removed and your labels, votes and outlines undone.",
};

form.addEventListener("submit", (event) => {
  event.preventDefault();
  document.getElementById("delete-question").textContent =
    `Delete this account for good? ${WORDS[form.contributions.value]} Every log-in and API token stops working.`;
  confirmBox.hidden = false;
  document.getElementById("delete-yes").focus();
});

document.getElementById("delete-no").addEventListener("click", () => { confirmBox.hidden = true; });

document.getElementById("delete-yes").addEventListener("click", async () => {
  const json = { password: form.password.value, contributions: form.contributions.value };
  try {
    await api("/api/v1/me", { method: "DELETE", json }, false);
  } catch (error) {
    confirmBox.hidden = true;
    said.textContent = error.message;
    return;
  }
  forgetLogin();
  location.assign("/login?deleted=" + json.contributions);
});
