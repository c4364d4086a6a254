// Lighthouse on each page given, one after another in one headless Chromium, as a visitor with a fresh profile.
// Usage: node audit.mjs URL...   (CHROME_PATH names the browser; IMAGEMONKEY_LIGHTHOUSE_CATEGORIES overrides the
// categories). Prints one JSON line per page: {"url", "scores": {category: 0..1}, "failing": [{"id", "title",
// "category", "details"}]}, where failing lists every audit of those categories that scored below 1.
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const CATEGORIES = (process.env.IMAGEMONKEY_LIGHTHOUSE_CATEGORIES || "accessibility,best-practices,seo").split(",");
const FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** What a failing audit points at, short: its items' selectors, snippets and explanations. */
function details(audit) {
  return (audit.details?.items || []).slice(0, 5).map((item) => {
    const node = item.node || {};
    return [node.selector, node.snippet, node.explanation || item.description || item.url].filter(Boolean).join(" ");
  });
}

function failing(lhr) {
  const found = [];
  for (const category of CATEGORIES) {
    for (const ref of lhr.categories[category]?.auditRefs || []) {
      const audit = lhr.audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
        found.push({ id: audit.id, title: audit.title, category, details: details(audit) });
      }
    }
  }
  return found;
}

const urls = process.argv.slice(2);
const chrome = await chromeLauncher.launch({ chromePath: process.env.CHROME_PATH, chromeFlags: FLAGS });
try {
  for (const url of urls) {
    const result = await lighthouse(url, { port: chrome.port, logLevel: "error", onlyCategories: CATEGORIES });
    const lhr = result.lhr;
    const scores = Object.fromEntries(CATEGORIES.map((name) => [name, lhr.categories[name]?.score ?? null]));
    const line = { url, scores, failing: failing(lhr) };
    if (lhr.runtimeError) line.error = lhr.runtimeError.message;
    console.log(JSON.stringify(line));
  }
} finally {
  await chrome.kill();
}
