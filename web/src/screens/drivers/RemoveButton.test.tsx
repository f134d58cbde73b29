import { afterEach, describe, expect, it, vi } from "vitest";
import { render } from "preact";
import { act } from "preact/test-utils";
import { RemoveButton } from "./RemoveButton";

afterEach(() => {
  document.body.innerHTML = "";
});

const click = (el: Element) => act(() => (el as HTMLElement).click());
const button = (host: HTMLElement, name: string) =>
  [...host.querySelectorAll("button")].find((b) => (b.getAttribute("aria-label") ?? b.textContent) === name)!;

describe("removing in two steps", () => {
  it("asks to confirm in place, then says the refusal next to it", async () => {
    const host = document.createElement("div");
    document.body.append(host);
    const onConfirm = vi.fn().mockResolvedValue({ message: "Ce conducteur n'est pas dans votre périmètre.", fields: {} });
    act(() => render(<RemoveButton what="le conducteur Alex Martin" onConfirm={onConfirm} />, host));
    click(button(host, "Supprimer le conducteur Alex Martin"));
    expect(onConfirm).not.toHaveBeenCalled();
    expect(host.textContent).toContain("Supprimer le conducteur Alex Martin ?");
    const confirm = button(host, "Confirmer la suppression");
    expect(document.activeElement).toBe(confirm);
    await act(async () => confirm.click());
    expect(onConfirm).toHaveBeenCalledOnce();
    expect(host.querySelector('[role="alert"]')!.textContent).toBe("Ce conducteur n'est pas dans votre périmètre.");
    click(button(host, "Annuler"));
    expect(document.activeElement).toBe(button(host, "Supprimer le conducteur Alex Martin"));
  });
});
