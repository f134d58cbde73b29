import { afterEach, describe, expect, it, vi } from "vitest";
import { render } from "preact";
import { act } from "preact/test-utils";
import type { AppContext } from "../../context";
import { App } from "../../context";
import { NewRequest } from "./NewRequest";

const driver = {
  tenant_id: "t", entity_id: "e-lyon", driver_id: "d-1", last_name: "Essai", first_name: "Sacha",
  address: { line1: "12 rue de l'Exemple", line2: null, postcode: "69003", city: "Lyon", country: "FRA" },
  personal_email: null, professional_email: null, restricted: false, objected: false,
};

const refusal = {
  request: {
    request_id: "20260512T080000Z-1", right: "erasure", subject: { type: "driver", id: "d-1" }, requested_by: "u-me",
    received_at: "2026-05-12T08:00:00Z", outcome: "refused", reason: "…", details: { notices_in_flight: ["4100000301"] },
  },
};

function mount(post: ReturnType<typeof vi.fn>) {
  const api = {
    GET: vi.fn(async (path: string) => ({ data: path === "/drivers" ? { drivers: [driver] } : { users: [] }, response: { status: 200 } })),
    POST: post,
  };
  const app = { api, me: { user: { user_id: "u-me" }, can: { manage_tenant: true, manage_users: { kind: "all_entities" } } } } as unknown as AppContext;
  const host = document.createElement("div");
  document.body.append(host);
  act(() => render(<App.Provider value={app}><NewRequest query={new URLSearchParams("conducteur=d-1")} /></App.Provider>, host));
  return host;
}

const flush = () => act(async () => { await new Promise((resolve) => setTimeout(resolve, 0)); });

function click(host: HTMLElement, text: string) {
  const button = [...host.querySelectorAll("button")].find((b) => b.textContent === text);
  if (!button) throw new Error(`no button ${text}`);
  act(() => button.click());
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("an erasure request", () => {
  it("asks for confirmation before anything is sent, then shows the refusal with its notice", async () => {
    const post = vi.fn(async () => ({ error: refusal, response: { status: 409 } }));
    const host = mount(post);
    await flush();
    const erasure = host.querySelector<HTMLInputElement>('input[value="erasure"]')!;
    act(() => { erasure.checked = true; erasure.dispatchEvent(new Event("change", { bubbles: true })); });
    click(host, "Effacer les données");
    expect(post).not.toHaveBeenCalled();
    expect(host.textContent).toContain("L'effacement est définitif.");
    click(host, "Confirmer l'effacement");
    await flush();
    expect(post).toHaveBeenCalledWith("/privacy/requests", { body: { right: "erasure", subject: { type: "driver", id: "d-1" } } });
    expect(host.querySelector("h2")!.textContent).toBe("Demande refusée");
    expect(host.querySelector<HTMLAnchorElement>('a[href="/avis/4100000301"]')!.textContent).toBe("avis n° 4100000301");
  });
});
