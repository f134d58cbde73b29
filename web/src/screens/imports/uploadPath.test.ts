import { describe, expect, it } from "vitest";
import type { Schemas } from "../../api/client";
import { MAX_INLINE_BYTES, canApplyValidRows, isFinal, sendThroughUpload, uploadPath } from "./uploadPath";

const record = (over: Partial<Schemas["ImportRecord"]>): Schemas["ImportRecord"] => ({
  import_id: "i1", kind: "vehicles", status: "rejected", partial: false, created_by: "u1",
  created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z",
  rows_total: 3, rows_done: 0, errors: [], errors_total: 2, ...over,
});

describe("uploadPath", () => {
  it("sends workbooks of up to 5 MiB in the request", () => {
    expect(uploadPath(0)).toBe("inline");
    expect(uploadPath(20_000)).toBe("inline");
    expect(uploadPath(MAX_INLINE_BYTES)).toBe("inline");
  });
  it("sends larger ones through the presigned upload", () => {
    expect(uploadPath(MAX_INLINE_BYTES + 1)).toBe("presigned");
    expect(uploadPath(40 * 1024 * 1024)).toBe("presigned");
  });
});

describe("sendThroughUpload", () => {
  const tooManyRows = { error: { code: "invalid", message: "…", fields: [{ field: "body", code: "out_of_range", reason: "…" }] } };
  it("switches to the upload when the API finds the body too large or too long", () => {
    expect(sendThroughUpload(413, undefined)).toBe(true);
    expect(sendThroughUpload(422, tooManyRows)).toBe(true);
  });
  it("keeps other refusals as they are", () => {
    expect(sendThroughUpload(422, { error: { code: "invalid", message: "…", fields: [{ field: "kind", code: "unknown_value", reason: "…" }] } })).toBe(false);
    expect(sendThroughUpload(415, undefined)).toBe(false);
    expect(sendThroughUpload(403, tooManyRows)).toBe(false);
  });
});

describe("isFinal", () => {
  it("waits while the upload is awaited or read", () => {
    expect(isFinal("awaiting_upload")).toBe(false);
    expect(isFinal("processing")).toBe(false);
    expect(isFinal("rejected")).toBe(true);
    expect(isFinal("awaiting_apply")).toBe(true);
  });
});

describe("canApplyValidRows", () => {
  it("offers the partial apply for a rejected workbook with valid rows", () => {
    expect(canApplyValidRows(record({}))).toBe(true);
  });
  it("not when nothing is valid, already partial, applied, or a fleet refresh", () => {
    expect(canApplyValidRows(record({ rows_total: 0 }))).toBe(false);
    expect(canApplyValidRows(record({ partial: true }))).toBe(false);
    expect(canApplyValidRows(record({ status: "done" }))).toBe(false);
    expect(canApplyValidRows(record({ kind: "fleet_refresh" }))).toBe(false);
  });
});
