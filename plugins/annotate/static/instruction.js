// What the editor asks for a label, phrased from the catalog's entry (its "article", as for validate's questions):
// "Outline each dog.", "Outline the sky." (a mass noun: article ""), "Outline each pair of scissors." ("a pair of").

/** The instruction for catalog name `name` (e.g. "dog/head"); `entry` is its catalog entry, if known. */
export function outlineInstruction(name, entry) {
  const spoken = name.replace("/", " ");
  if (entry && entry.article === "") return `Outline the ${spoken}.`;
  const words = entry && entry.article ? entry.article.split(" ") : [];
  const measure = words.length > 1 && /^an?$/.test(words[0]) ? words.slice(1).join(" ") + " " : "";  // "pair of "
  return `Outline each ${measure}${spoken}.`;
}
