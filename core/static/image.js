// The image page: outlines drawn over the picture (one toggle per label), relative dates, provenance for the
// donor and moderators (the API shows source links only to them, so it is asked with this browser's token).
import { api, element, relativeTime, storedToken } from "./client.js";
import { drawOutline } from "./outlines.js";

const COLOURS = ["#c2571a", "#2f7d5b", "#d9a43a", "#5b4fc2", "#a11d1d", "#1d7fa1"];
const figure = document.getElementById("figure");
const svg = figure.querySelector("svg.outlines");

document.querySelectorAll(".labels li[data-shapes]").forEach((item, index) => {
  const group = drawOutline(svg, figure.dataset.width, figure.dataset.height, JSON.parse(item.dataset.shapes),
    COLOURS[index % COLOURS.length], item.dataset.label);
  item.style.setProperty("--outline", COLOURS[index % COLOURS.length]);
  item.querySelector("input[data-toggle]").addEventListener("change", (event) => { group.style.display = event.target.checked ? "" : "none"; });
});
figure.dataset.outlines = String(svg.children.length);

for (const time of document.querySelectorAll("time[datetime]")) {
  time.textContent = relativeTime(time.dateTime);
  time.title = new Date(time.dateTime).toString();
}

if (storedToken()) {
  api(`/api/v1/images/${figure.dataset.id}`, {}, false).then((image) => {
    const links = [["picture source", image.source_url], ["page", image.page_url]].filter(([, url]) => url);
    if (!links.length) return;
    const provenance = document.getElementById("provenance");
    provenance.replaceChildren("Donated from: ", ...links.flatMap(([name, url], i) => [i ? " · " : "", element("a", { href: url, rel: "noopener noreferrer", textContent: name })]));
    provenance.hidden = false;
  }).catch(() => {});
}
