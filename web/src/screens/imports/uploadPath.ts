// Which way a workbook goes to the API: straight in the request, or to the
// exchange bucket through a presigned URL (read in the background).
import type { Schemas } from "../../api/client";

/** The API reads a body of up to 5 MiB in the request (POST /imports). */
export const MAX_INLINE_BYTES = 5 * 1024 * 1024;

export type UploadPath = "inline" | "presigned";

/** Small workbooks go inline; larger ones, which the API would refuse, through the upload. */
export function uploadPath(sizeBytes: number): UploadPath {
  return sizeBytes <= MAX_INLINE_BYTES ? "inline" : "presigned";
}

/**
 * Whether an inline import was turned away for its size (413) or its row
 * count (the API reads 10,000 rows at most inline and asks for the upload):
 * the panel then sends the same file through the upload.
 */
export function sendThroughUpload(status: number, error: unknown): boolean {
  if (status === 413) return true;
  if (status !== 422) return false;
  const fields = (error as { error?: Schemas["ErrorDetail"] } | undefined)?.error?.fields ?? [];
  return fields.some((f) => f.field === "body" && f.code === "out_of_range");
}

/** Statuses after which nothing more happens to an import by itself. */
export function isFinal(status: Schemas["ImportStatus"]): boolean {
  return status !== "awaiting_upload" && status !== "processing";
}

/** "Apply the valid rows anyway" makes sense when some rows were refused and others are valid. */
export function canApplyValidRows(record: Schemas["ImportRecord"]): boolean {
  return record.status === "rejected" && !record.partial && record.rows_total > 0 && record.kind !== "fleet_refresh";
}
