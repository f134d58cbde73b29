// Sending a workbook to the API, inline or through the presigned upload,
// and following the import until it ends.
import { type Api, type Problem, type Schemas, networkProblem, problemOf } from "../../api/client";
import { isFinal, sendThroughUpload } from "./uploadPath";

export type ImportRecord = Schemas["ImportRecord"];
export type ImportKind = Schemas["ImportKind"];

export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The record, a problem to show, or "upload" when the API asks for the presigned path. */
export type InlineOutcome = ImportRecord | Problem | "upload";

export function isRecord(value: unknown): value is ImportRecord {
  return typeof value === "object" && value !== null && "import_id" in value && "status" in value;
}

/** POST /imports with the workbook as the body; a refused workbook (422) still carries its record. */
export async function sendInline(api: Api, kind: ImportKind, file: Blob, partial: boolean): Promise<InlineOutcome> {
  try {
    const { data, error, response } = await api.POST("/imports", {
      params: { query: { kind, partial: partial || undefined } },
      body: file as never,
      bodySerializer: (body: unknown) => body as Blob,
      headers: { "content-type": XLSX },
    });
    if (data) return data;
    if (isRecord(error)) return error;
    if (sendThroughUpload(response.status, error)) return "upload";
    return problemOf(error, response.status);
  } catch {
    return networkProblem();
  }
}

/** POST /uploads: the import awaiting its workbook, and where to PUT it. */
export async function startUpload(api: Api, kind: ImportKind, partial: boolean): Promise<Schemas["Upload"] | Problem> {
  try {
    const { data, error, response } = await api.POST("/uploads", { body: { kind, partial } });
    return data ?? problemOf(error, response.status);
  } catch {
    return networkProblem();
  }
}

/**
 * PUTs the file to the presigned URL with XMLHttpRequest, the only browser
 * API that reports upload progress. Resolves null once stored, else the problem.
 */
export function putToBucket(target: Schemas["UploadTarget"], file: Blob, onProgress: (sent: number, total: number) => void): Promise<Problem | null> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(target.method || "PUT", target.url);
    xhr.setRequestHeader("content-type", target.content_type);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => resolve(xhr.status >= 200 && xhr.status < 300 ? null : {
      message: "Le dépôt du fichier a échoué : réessayez dans un instant.", fields: {}, status: xhr.status,
    });
    xhr.onerror = () => resolve(networkProblem());
    xhr.send(file);
  });
}

const POLL_EVERY_MS = 1000;

/** Reads GET /imports/{id} every second, reporting each state, until it is final. */
export async function followImport(api: Api, importId: string, onRecord: (r: ImportRecord) => void, signal: AbortSignal): Promise<ImportRecord | Problem> {
  for (;;) {
    try {
      const { data, error, response } = await api.GET("/imports/{importId}", { params: { path: { importId } }, signal });
      if (!data) return problemOf(error, response.status);
      onRecord(data);
      if (isFinal(data.status)) return data;
    } catch {
      if (signal.aborted) return networkProblem();
      // A dropped poll is tried again: the import goes on without us.
    }
    await new Promise((r) => setTimeout(r, POLL_EVERY_MS));
    if (signal.aborted) return networkProblem();
  }
}
