// /me: how many answers you gave and how often they agreed with the settled result (this browser's token).
import { storedToken } from "/static/client.js";

const box = document.getElementById("validate-agreement");
const token = storedToken();

async function show() {
  if (!token) { box.textContent = "No answers from this browser yet."; return; }
  const response = await fetch(box.dataset.api, { headers: { Authorization: "Bearer " + token } });
  if (!response.ok) { box.textContent = "Could not load your answers."; return; }
  const found = await response.json();
  const share = found.settled ? Math.round((100 * found.agreed) / found.settled) : null;
  box.textContent = `${found.answers} answers; ${found.settled} of them on labels the crowd has settled`
    + (share === null ? "." : `, and ${found.agreed} (${share}%) agreed with the result.`);
}

show();
