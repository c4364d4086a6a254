import assert from "node:assert/strict";
import { test } from "node:test";
import { isCardDue, isNewTabUrl } from "../lib/schedule.js";
import { DEFAULT_NEWTAB, normalizeNewtab, normalizeServerUrl, originPattern } from "../lib/settings.js";
import { describeError, formatBytes, formatWait } from "../lib/messages.js";

const on = { enabled: true, everyMinutes: 30, days: [1, 2, 3, 4, 5], fromHour: 9, toHour: 18 };
const monday10 = new Date(2024, 0, 1, 10, 0); // 1 Jan 2024 was a Monday

test("the new-tab card is off by default", () => {
  assert.equal(DEFAULT_NEWTAB.enabled, false);
  assert.equal(isCardDue(normalizeNewtab(), monday10, null), false);
});

test("the card is due on chosen days and hours, every N minutes", () => {
  assert.equal(isCardDue(on, monday10, null), true);
  assert.equal(isCardDue(on, monday10, monday10.getTime() - 29 * 60_000), false);
  assert.equal(isCardDue(on, monday10, monday10.getTime() - 30 * 60_000), true);
  assert.equal(isCardDue(on, new Date(2024, 0, 6, 10, 0), null), false, "Saturday");
  assert.equal(isCardDue(on, new Date(2024, 0, 1, 18, 0), null), false, "toHour is exclusive");
  assert.equal(isCardDue(on, new Date(2024, 0, 1, 9, 0), null), true);
});

test("hours may span midnight", () => {
  const night = { ...on, days: [0, 1, 2, 3, 4, 5, 6], fromHour: 22, toHour: 6 };
  assert.equal(isCardDue(night, new Date(2024, 0, 1, 23, 0), null), true);
  assert.equal(isCardDue(night, new Date(2024, 0, 1, 3, 0), null), true);
  assert.equal(isCardDue(night, new Date(2024, 0, 1, 12, 0), null), false);
});

test("new-tab URLs", () => {
  assert.ok(isNewTabUrl("chrome://newtab/"));
  assert.ok(isNewTabUrl("about:newtab"));
  assert.ok(!isNewTabUrl("https://example.com/"));
  assert.ok(!isNewTabUrl(undefined));
});

test("normalizeNewtab fixes bad values", () => {
  assert.deepEqual(normalizeNewtab({ enabled: 1, everyMinutes: "0", days: [9, 1, 1, "2"], fromHour: 30, toHour: 12 }),
    { enabled: true, everyMinutes: DEFAULT_NEWTAB.everyMinutes, days: [1, 2], fromHour: DEFAULT_NEWTAB.fromHour, toHour: 12 });
});

test("server addresses are normalized", () => {
  assert.equal(normalizeServerUrl("127.0.0.1:6543"), "http://127.0.0.1:6543");
  assert.equal(normalizeServerUrl(" https://imagemonkey.example/ "), "https://imagemonkey.example");
  assert.equal(normalizeServerUrl("http://h/prefix/"), "http://h/prefix");
  assert.throws(() => normalizeServerUrl("ftp://h"));
  assert.throws(() => normalizeServerUrl(""));
  assert.equal(originPattern("https://imagemonkey.example:8443/x"), "https://imagemonkey.example/*");
});

test("readable errors", () => {
  const t = (k, subs = []) => `${k}(${subs.join(",")})`;
  assert.equal(formatWait(42, t), "waitSeconds(42)");
  assert.equal(formatWait(1, t), "waitSecond(1)");
  assert.equal(formatWait(600, t), "waitMinutes(10)");
  assert.equal(formatBytes(10 * 1024 * 1024), "10 MB");
  assert.equal(describeError({ code: "rate_limited", retryAfter: 42 }, t), "errRateLimitedWait(waitSeconds(42))");
  assert.equal(describeError({ code: "too_large", details: { maxBytes: 1024 * 1024 } }, t), "errTooLargeLimit(1 MB)");
  assert.equal(describeError({ code: "too_small", details: { width: 10, height: 20 } }, t), "errTooSmallSize(10,20)");
  assert.equal(describeError({ code: "something_new", message: "Server says no." }, t), "Server says no.");
});
