// Downloading an empty workbook to fill in, with the refusal said next to it.
import { useState } from "preact/hooks";
import type { Problem } from "../../api/client";
import { useApp } from "../../context";
import { downloadFile } from "../../ui/files";

interface Props {
  path: "/drivers/template" | "/assignments/template";
  fileName: string;
  label: string;
}

export function TemplateButton({ path, fileName, label }: Props) {
  const { api } = useApp();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  async function download() {
    setBusy(true);
    setProblem(await downloadFile(api, path, fileName));
    setBusy(false);
  }
  return (
    <>
      <button type="button" disabled={busy} onClick={() => void download()}>{label}</button>
      {problem && <p class="error" role="alert">{problem.message}</p>}
    </>
  );
}
