// Files the API hands out (workbooks, CSV) and files the user hands in.
import type { Api } from "../api/client";
import { type Problem, networkProblem, problemOf } from "../api/client";

/** The file name the API gives in `Content-Disposition`, else `fallback`. */
export function fileNameOf(response: Response, fallback: string): string {
  const header = response.headers.get("content-disposition") ?? "";
  const encoded = header.match(/filename\*=UTF-8''([^;]+)/i);
  if (encoded) return decodeURIComponent(encoded[1]);
  const plain = header.match(/filename="?([^";]+)"?/i);
  return plain ? plain[1] : fallback;
}

/** Hands `blob` to the browser as a download named `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const href = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/** Paths the API serves as files (workbooks, CSV, certificates), signed in like every call. */
type FilePath = "/fleet/template" | "/fleet/export" | "/drivers/template" | "/drivers/export"
  | "/assignments/template" | "/journal/export"
  | "/notices/{noticeNumber}/certificate" | "/notices/{noticeNumber}/certificate/proof";

/** A file path's parameters: an entity in the query, a notice in the path. */
interface FileParams {
  query?: Record<string, string>;
  path?: Record<string, string>;
}

/**
 * Downloads one of the API's files with the user's token (a plain link
 * would carry none). Returns the problem to show, or null once saved.
 */
export async function downloadFile(api: Api, path: FilePath, fallbackName: string, params: FileParams = {}): Promise<Problem | null> {
  try {
    // The parameters are typed per path by the schema; these paths take at most an entity or a notice.
    const init = { params, parseAs: "blob" } as never;
    const { data, error, response } = await api.GET(path, init);
    if (!data) return problemOf(error, response.status);
    saveBlob(data as Blob, fileNameOf(response, fallbackName));
    return null;
  } catch {
    return networkProblem();
  }
}
