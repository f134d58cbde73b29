// One workbook's journey, as state for a screen: sending (inline), or
// uploading then processing (presigned), then the final record or a problem.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Problem } from "../../api/client";
import { useApp } from "../../context";
import { type ImportKind, type ImportRecord, followImport, putToBucket, sendInline, startUpload } from "./send";
import { uploadPath } from "./uploadPath";

export type Phase = "idle" | "sending" | "uploading" | "processing" | "finished";

export interface ImportState {
  phase: Phase;
  /** Bytes PUT so far, and the file's size (presigned path). */
  sent: number;
  size: number;
  record: ImportRecord | null;
  problem: Problem | null;
}

const IDLE: ImportState = { phase: "idle", sent: 0, size: 0, record: null, problem: null };

export function useImportFlow(kind: ImportKind) {
  const { api } = useApp();
  const [state, setState] = useState<ImportState>(IDLE);
  const stop = useRef(new AbortController());
  useEffect(() => () => stop.current.abort(), []);

  const finish = (result: ImportRecord | Problem) => setState((s) =>
    "import_id" in result ? { ...s, phase: "finished", record: result } : { ...s, phase: "finished", problem: result });

  async function presigned(file: File, partial: boolean): Promise<ImportRecord | Problem> {
    setState((s) => ({ ...s, phase: "uploading", sent: 0, size: file.size }));
    const started = await startUpload(api, kind, partial);
    if (!("upload" in started)) return started;
    setState((s) => ({ ...s, record: started.import }));
    const failed = await putToBucket(started.upload, file, (sent, size) => setState((s) => ({ ...s, sent, size })));
    if (failed) return failed;
    setState((s) => ({ ...s, phase: "processing" }));
    const onRecord = (record: ImportRecord) => setState((s) => ({ ...s, record }));
    return followImport(api, started.import.import_id, onRecord, stop.current.signal);
  }

  async function run(file: File, partial: boolean) {
    setState({ ...IDLE, phase: "sending", size: file.size });
    if (uploadPath(file.size) === "presigned") return finish(await presigned(file, partial));
    const outcome = await sendInline(api, kind, file, partial);
    // Too many rows for the request: the same file goes through the upload.
    finish(outcome === "upload" ? await presigned(file, partial) : outcome);
  }

  return { state, run, reset: () => setState(IDLE), busy: state.phase !== "idle" && state.phase !== "finished" };
}
