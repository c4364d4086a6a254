import assert from "node:assert/strict";
import { test } from "node:test";
import { flattenCatalog, matchLabels, normalizeQuery, resolveLabel, withArticle } from "../lib/labels.js";

const catalog = {
  version: 3,
  labels: [
    { name: "dog", plural: "dogs", aliases: ["puppy", "hound"], description: "a domestic dog", sublabels: [{ name: "head" }, "tail"] },
    { name: "apple", plural: "apples", aliases: [], description: "the fruit", sublabels: [] },
    { name: "pineapple", aliases: ["ananas"] },
    { name: "hot dog", aliases: ["frankfurter"] },
    { name: "cat", aliases: ["kitten"] },
  ],
};
const entries = flattenCatalog(catalog);

test("flattenCatalog includes sublabels as parent/sub", () => {
  const names = entries.map((e) => e.name);
  assert.deepEqual(names, ["dog", "dog/head", "dog/tail", "apple", "pineapple", "hot dog", "cat"]);
  assert.ok(entries[0].terms.includes("puppy"));
  assert.ok(entries[0].terms.includes("dogs"));
});

test("flattenCatalog tolerates an empty or missing catalog", () => {
  assert.deepEqual(flattenCatalog(null), []);
  assert.deepEqual(flattenCatalog({}), []);
});

test("exact match comes first, then prefix, then word prefix, then substring", () => {
  assert.deepEqual(matchLabels(entries, "apple").map((m) => m.name), ["apple", "pineapple"]);
  assert.deepEqual(matchLabels(entries, "dog").map((m) => m.name), ["dog", "dog/head", "dog/tail", "hot dog"]);
});

test("aliases match and say which alias matched", () => {
  const [hit] = matchLabels(entries, "pupp");
  assert.equal(hit.name, "dog");
  assert.equal(hit.alias, "puppy");
  assert.equal(matchLabels(entries, "ananas")[0].name, "pineapple");
  assert.equal(matchLabels(entries, "app")[0].alias, null);
});

test("matching ignores case and extra spaces", () => {
  assert.equal(normalizeQuery("  Hot   DOG "), "hot dog");
  assert.equal(matchLabels(entries, "  HOT  dog")[0].name, "hot dog");
});

test("already chosen labels are excluded, limit is honoured, empty query gives nothing", () => {
  assert.deepEqual(matchLabels(entries, "dog", { exclude: ["DOG"] }).map((m) => m.name), ["dog/head", "dog/tail", "hot dog"]);
  assert.equal(matchLabels(entries, "dog", { limit: 2 }).length, 2);
  assert.deepEqual(matchLabels(entries, "   "), []);
  assert.deepEqual(matchLabels(entries, "zebra"), []);
});

test("resolveLabel maps aliases to the catalog name and keeps unknown text", () => {
  assert.equal(resolveLabel(entries, "Puppy"), "dog");
  assert.equal(resolveLabel(entries, "dog/head"), "dog/head");
  assert.equal(resolveLabel(entries, "  Zebra "), "zebra");
  assert.equal(resolveLabel(entries, ""), "");
});

test("withArticle reads a label as the catalog says: mass nouns bare, a pair of scissors, a/an by sound", () => {
  const withArticles = flattenCatalog({ labels: [{ name: "sky", article: "" }, { name: "scissors", article: "a pair of" },
    { name: "dog", sublabels: [{ name: "head" }] }, { name: "apple" }] });
  assert.equal(withArticle("sky", withArticles), "sky");
  assert.equal(withArticle("scissors", withArticles), "a pair of scissors");
  assert.equal(withArticle("dog", withArticles), "a dog");
  assert.equal(withArticle("dog/head", withArticles), "a dog head");
  assert.equal(withArticle("apple", withArticles), "an apple");
  assert.equal(withArticle("owl", []), "an owl");  // not in the catalog (yet): a/an by sound
});
