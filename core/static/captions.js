// The image page's captions: the first page of them with their scores and up/down buttons, and a form to add one.
import { api, element } from "./client.js";

const figure = document.getElementById("figure");
const list = document.getElementById("captions");
const form = document.getElementById("caption-form");
const message = document.getElementById("caption-message");
const base = `/api/v1/images/${figure.dataset.id}/captions`;

function explain(error) {
  return error && error.message ? error.message : String(error);
}

function row(caption, chosen) {
  const score = element("span", { className: "score", textContent: `${caption.score >= 0 ? "+" : ""}${caption.score}` });
  const vote = (value) => element("button", {
    type: "button", className: `vote-${value}`, textContent: value === "up" ? "▲" : "▼",
    title: value === "up" ? "A good caption" : "A poor caption",
    onclick: () => api(`/api/v1/captions/${caption.id}/votes`, { method: "POST", json: { vote: value } })
      .then(load).catch((error) => { message.textContent = explain(error); }),
  });
  const item = element("li", { lang: caption.language }, vote("up"), vote("down"), " ", score, " ",
    element("span", { className: "text", textContent: caption.text }), " ",
    element("span", { className: "muted", textContent: caption.language + (caption.locked ? " · locked" : "") }));
  item.dataset.id = caption.id;
  if (caption.id === chosen) item.classList.add("chosen");
  return item;
}

async function load() {
  const page = await api(`${base}?limit=20`, {}, false);
  list.replaceChildren(...(page.captions.length ? page.captions.map((caption) => row(caption, page.caption))
    : [element("li", { className: "muted", textContent: "No captions yet." })]));
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const json = { text: form.elements.text.value, language: form.elements.language.value };
  api(base, { method: "POST", json }).then(() => {
    form.elements.text.value = "";
    message.textContent = "Thank you: others can now vote on it.";
    return load();
  }).catch((error) => { message.textContent = explain(error); });
});

load().catch((error) => { list.replaceChildren(element("li", { className: "muted", textContent: explain(error) })); });
