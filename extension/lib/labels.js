/**
 * Label matching for the autocomplete. Pure module.
 *
 * The catalog is `GET /api/v1/labels`: {"labels": [{"name", "description",
 * "plural", "aliases", "sublabels": [...]}]}. Sublabels are names or label
 * objects; they are offered as "parent/sub" (the form the API accepts).
 */

/**
 * @typedef {{name: string, description: string, terms: string[], article?: string}} LabelEntry
 * `terms` are lower-case: the name, its plural and its aliases. `article` is the catalog's (docs/catalog.md):
 * the words before the name in a sentence, "" for a mass noun ("sky"), "a pair of" for scissors.
 */

/**
 * Flatten a catalog into entries to search.
 * @param {{labels?: object[]}|null} catalog
 * @returns {LabelEntry[]}
 */
export function flattenCatalog(catalog) {
  const out = [];
  const add = (label, prefix) => {
    const obj = typeof label === "string" ? { name: label } : label ?? {};
    if (!obj.name) return;
    const name = prefix ? `${prefix}/${obj.name}` : obj.name;
    const terms = [obj.name, obj.plural, ...(obj.aliases ?? [])]
      .filter((s) => typeof s === "string" && s.trim())
      .map((s) => s.trim().toLowerCase());
    if (prefix) terms.unshift(name.toLowerCase());
    const entry = { name, description: obj.description ?? "", terms: [...new Set(terms)] };
    if (typeof obj.article === "string") entry.article = obj.article;
    out.push(entry);
    for (const sub of obj.sublabels ?? []) add(sub, name);
  };
  for (const label of catalog?.labels ?? []) add(label, "");
  return out;
}

/**
 * A label as it reads in a question, as the server phrases it: "a dog", "an apple", "sky" (a mass noun: the
 * catalog's article is ""), "a pair of scissors"; a sublabel reads "a dog head".
 * @param {string} name the catalog name
 * @param {LabelEntry[]} entries from flattenCatalog
 */
export function withArticle(name, entries) {
  const spoken = name.replace("/", " ");
  const article = entries.find((entry) => entry.name === name)?.article ?? (/^[aeiou]/.test(spoken) ? "an" : "a");
  return article ? `${article} ${spoken}` : spoken;
}

/** Normalize what the user typed: trimmed, lower case, single spaces. */
export function normalizeQuery(text) {
  return String(text ?? "").trim().toLowerCase().replace(/\s+/g, " ");
}

function score(term, q) {
  if (term === q) return 0;
  if (term.startsWith(q)) return 1;
  if (term.split(/[\s/_-]+/).some((word) => word.startsWith(q))) return 2;
  if (term.includes(q)) return 3;
  return Infinity;
}

/**
 * Catalog entries that match a query, best first: exact name or alias, then
 * prefix, then word prefix, then substring; top-level labels before sublabels,
 * then alphabetical.
 * @param {LabelEntry[]} entries from flattenCatalog
 * @param {string} query what the user typed
 * @param {{limit?: number, exclude?: string[]}} [opts] exclude: names already chosen
 * @returns {{name: string, description: string, alias: string|null}[]}
 *   alias: the alias that matched when the name itself did not
 */
export function matchLabels(entries, query, { limit = 8, exclude = [] } = {}) {
  const q = normalizeQuery(query);
  if (!q) return [];
  const skip = new Set(exclude.map((s) => s.toLowerCase()));
  const hits = [];
  for (const entry of entries) {
    if (skip.has(entry.name.toLowerCase())) continue;
    let best = Infinity;
    let bestTerm = null;
    for (const term of entry.terms) {
      const s = score(term, q);
      if (s < best) [best, bestTerm] = [s, term];
    }
    if (best === Infinity) continue;
    const own = entry.name.toLowerCase().split("/").pop();
    const alias = bestTerm === own || bestTerm === entry.name.toLowerCase() ? null : bestTerm;
    hits.push({ entry, best, alias, depth: entry.name.split("/").length });
  }
  hits.sort((a, b) => a.best - b.best || a.depth - b.depth || a.entry.name.localeCompare(b.entry.name));
  return hits.slice(0, limit).map((h) => ({ name: h.entry.name, description: h.entry.description, alias: h.alias }));
}

/**
 * The catalog name for what was typed, if it is a name or alias exactly
 * ("puppy" → "dog"); otherwise the cleaned text itself (the server turns an
 * unknown name into a suggestion).
 * @param {LabelEntry[]} entries
 * @param {string} text
 * @returns {string} "" when nothing usable was typed
 */
export function resolveLabel(entries, text) {
  const q = normalizeQuery(text);
  if (!q) return "";
  const exact = entries.find((e) => e.name.toLowerCase() === q) ?? entries.find((e) => e.terms.includes(q));
  return exact ? exact.name : q;
}
