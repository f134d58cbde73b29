import { afterEach, describe, expect, it, vi } from "vitest";
import { render } from "preact";
import { act } from "preact/test-utils";
import type { AppContext } from "../context";
import { App } from "../context";
import { CertificateDownloads } from "./CertificateDownloads";

function mount(get: ReturnType<typeof vi.fn>) {
  const app = { api: { GET: get } } as unknown as AppContext;
  const host = document.createElement("div");
  document.body.append(host);
  act(() => render(<App.Provider value={app}><CertificateDownloads number="4100000301" /></App.Provider>, host));
  return host;
}

const flush = () => act(async () => { await new Promise((resolve) => setTimeout(resolve, 0)); });

function click(host: HTMLElement, text: string) {
  const button = [...host.querySelectorAll("button")].find((b) => b.textContent?.trim() === text);
  if (!button) throw new Error(`no button ${text}`);
  act(() => button.click());
}

afterEach(() => {
  document.body.innerHTML = "";
  vi.restoreAllMocks();
});

describe("the certificate of an acknowledged answer", () => {
  it("downloads the PDF with the user's token, under the name the API gives", async () => {
    const headers = new Headers({ "content-disposition": 'attachment; filename="attestation-4100000301.pdf"' });
    const get = vi.fn(async () => ({ data: new Blob(["%PDF"]), response: { status: 200, headers } }));
    URL.createObjectURL = vi.fn(() => "blob:attestation");
    URL.revokeObjectURL = vi.fn();
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const host = mount(get);
    click(host, "Télécharger l'attestation");
    await flush();
    expect(get).toHaveBeenCalledWith("/notices/{noticeNumber}/certificate",
      { params: { path: { noticeNumber: "4100000301" } }, parseAs: "blob" });
    expect(saved).toEqual(["attestation-4100000301.pdf"]);
    click(host, "Télécharger la preuve signée (JSON)");
    await flush();
    expect(get).toHaveBeenLastCalledWith("/notices/{noticeNumber}/certificate/proof",
      { params: { path: { noticeNumber: "4100000301" } }, parseAs: "blob" });
  });

  it("says in French why there is no certificate yet", async () => {
    const refusal = { error: { code: "conflict", message: "L'ANTAI n'a pas encore accusé réception de la réponse à cet avis." } };
    const get = vi.fn(async () => ({ error: refusal, response: { status: 409, headers: new Headers() } }));
    const host = mount(get);
    click(host, "Télécharger l'attestation");
    await flush();
    expect(host.querySelector('[role="alert"]')!.textContent).toContain("pas encore accusé réception");
  });
});
