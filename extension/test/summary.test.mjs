import assert from "node:assert/strict";
import { test } from "node:test";
import { countTexts } from "../ui/summary.js";

test("countTexts reads today and the streak from /me and the total from the summary", () => {
  assert.deepEqual(countTexts({ total: 40 }, { today: { total: 3, "image.donate": 3 }, streak_days: 5 }),
    { today: "3", streak: "5", total: "40" });
});

test("countTexts shows a dash for what did not come back", () => {
  assert.deepEqual(countTexts(null, null), { today: "—", streak: "—", total: "—" });
  assert.deepEqual(countTexts({ total: 2 }, { today: {} }), { today: "—", streak: "—", total: "2" });
});
