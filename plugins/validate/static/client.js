// Shared by the validate pages: the anonymous token (localStorage) and JSON calls to the API.
const TOKEN_KEY = "imagemonkey.token";

export async function token() {
  let value = localStorage.getItem(TOKEN_KEY);
  if (!value) {
    const response = await fetch("/api/v1/clients", { method: "POST" });
    if (!response.ok) throw new Error("Could not get a token (" + response.status + ")");
    value = (await response.json()).token;
    localStorage.setItem(TOKEN_KEY, value);
  }
  return value;
}

export async function api(path, options = {}) {
  const headers = { Authorization: "Bearer " + (await token()), ...(options.body ? { "Content-Type": "application/json" } : {}) };
  const response = await fetch(path, { ...options, headers });
  if (response.status === 204) return null;
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : "HTTP " + response.status);
  return body;
}

export async function fillLabels(datalist) {
  const response = await fetch("/api/v1/labels");
  if (!response.ok) return;
  const names = [];
  for (const label of (await response.json()).labels) {
    names.push(label.name);
    for (const sub of label.sublabels || []) names.push(sub.name);
  }
  datalist.replaceChildren(...names.map((name) => Object.assign(document.createElement("option"), { value: name })));
}
