import assert from "node:assert/strict";
import { test } from "node:test";
import { findReportAction, reportReasons, reportRequest } from "../lib/report.js";

// Made-up ids on purpose: the extension acts on kinds and contexts, never on ids it knows.
const FLAG = { id: "zz-flag", kind: "report", title: "Flag", contexts: ["popup"], api: "/api/v2/pics/{image_id}/flags",
  reasons: [{ value: "gross", title: "Gross" }, { value: "other" }, { title: "no value" }, null] };

test("finds the popup action with reasons and keeps only usable reasons", () => {
  assert.equal(findReportAction([{ id: "a", kind: "task", contexts: ["popup"] }, FLAG]), FLAG);
  assert.deepEqual(reportReasons(FLAG), [{ value: "gross", title: "Gross" }, { value: "other", title: "other" }]);
});

test("ignores report actions it cannot use", () => {
  assert.equal(findReportAction(null), null);
  assert.equal(findReportAction([{ ...FLAG, contexts: ["image"] }]), null);
  assert.equal(findReportAction([{ ...FLAG, api: "https://elsewhere.example/api/{image_id}" }]), null);
  assert.equal(findReportAction([{ ...FLAG, api: "/api/v2/pics/flags" }]), null);
  assert.equal(findReportAction([{ ...FLAG, reasons: [] }]), null);
  assert.equal(findReportAction([{ ...FLAG, reasons: "gross" }]), null);
  assert.equal(findReportAction([{ ...FLAG, method: "POST", reasons: undefined }]), null);
});

test("the request fills the image id into the action's path and sends a note only when given", () => {
  assert.deepEqual(reportRequest(FLAG, "a b/c", "gross"), { path: "/api/v2/pics/a%20b%2Fc/flags", body: { reason: "gross" } });
  assert.deepEqual(reportRequest(FLAG, "x", "other", "  a logo  "), { path: "/api/v2/pics/x/flags",
    body: { reason: "other", note: "a logo" } });
  assert.throws(() => reportRequest(FLAG, "", "gross"));
});
