/**
 * The result view of "Find similar in ImageMonkey": the look-alikes the background found (lib/find-similar.js),
 * read from session storage by the key in the address, each linking to its page on the server.
 */
import { ext } from "./lib/ext.js";
import { localize, t } from "./lib/i18n.js";

function tile(entry) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = entry.page;
  link.target = "_blank";
  link.rel = "noopener";
  link.title = t("similarOpen");
  const picture = document.createElement("img");
  picture.src = entry.thumb;
  picture.alt = entry.labels.join(", ") || entry.id;
  picture.loading = "lazy";
  link.append(picture);
  item.append(link);
  return item;
}

async function show() {
  localize(document);
  const status = document.getElementById("similar-status");
  const key = new URLSearchParams(location.search).get("key") ?? "";
  const session = ext.storage.session ?? ext.storage.local;
  const stored = key.startsWith("similar-") ? (await session.get(key))[key] : null;
  if (!stored) {
    status.textContent = t("similarMissing");
    return;
  }
  if (typeof stored.srcUrl === "string" && /^(https?|data):/.test(stored.srcUrl)) {
    const source = document.getElementById("similar-source");
    source.src = stored.srcUrl;
    source.alt = t("similarSource");
    source.hidden = false;
  }
  const { result } = stored;
  if (!result.ok) {
    status.textContent = result.message;
    status.classList.add("error");
    return;
  }
  document.getElementById("similar-tiles").replaceChildren(...result.tiles.map(tile));
  status.textContent = result.tiles.length ? "" : t("similarNothing");
}

show();
