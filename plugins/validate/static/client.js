// Shared by the validate pages: the anonymous token (localStorage) and JSON calls to the API.
import { token } from "/static/client.js";

export { fillLabels } from "/static/client.js";

export async function api(path, options = {}) {
  const headers = { Authorization: "Bearer " + (await token()), ...(options.body ? { "Content-Type": "application/json" } : {}) };
  const response = await fetch(path, { ...options, headers });
  if (response.status === 204) return null;
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : "HTTP " + response.status);
  return body;
}

