// The image page's "More like this" strip: the picture's nearest public neighbours from GET /api/v1/images/{id}/similar.
const LIMIT = 12;

function tile(entry) {
  const item = document.createElement("li");
  item.className = "tile";
  const link = document.createElement("a");
  link.href = `/images/${encodeURIComponent(entry.image.id)}`;
  const picture = document.createElement("img");
  picture.src = entry.image.urls.thumb;
  picture.alt = entry.image.labels.map((label) => label.label).join(", ") || `Image ${entry.image.id}`;
  picture.loading = "lazy";
  link.append(picture);
  item.append(link);
  return item;
}

async function fill(strip) {
  const status = strip.querySelector(".similar-status");
  const grid = strip.querySelector(".similar-grid");
  try {
    const response = await fetch(`${strip.dataset.api}?limit=${LIMIT}`, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) {
      status.textContent = response.status === 409 ? "Not compared with other pictures yet: come back in a few minutes."
        : body.error?.message || "Look-alikes could not be loaded.";
      return;
    }
    grid.replaceChildren(...body.images.map(tile));
    status.textContent = body.images.length ? "" : "No look-alikes yet.";
  } catch {
    status.textContent = "Look-alikes could not be loaded.";
  }
}

for (const strip of document.querySelectorAll("[data-similar-for]")) {
  fill(strip);
}
