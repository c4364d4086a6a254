// Talking to the API: a client token kept in localStorage (created once), JSON in and out.
import { token } from "/static/client.js";

export { token };

// Returns {status, data}; data is the parsed JSON body (or null for 204 and bodiless answers).
export async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${await token()}` };
  const options = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  let data = null;
  if (response.status !== 204 && (response.headers.get("Content-Type") || "").includes("json")) {
    data = await response.json();
  }
  return { status: response.status, data };
}

// The image bytes as an object URL (sent with the token, so a donor sees their own pending image).
export async function imageUrl(url) {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${await token()}` } });
  if (!response.ok) throw new Error("Could not load the image.");
  return URL.createObjectURL(await response.blob());
}

export function errorMessage(result) {
  const error = result.data && result.data.error;
  return error ? error.message : `The server answered ${result.status}.`;
}
