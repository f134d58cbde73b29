import { afterEach, describe, expect, it, vi } from "vitest";
import { render } from "preact";
import { act } from "preact/test-utils";
import { DriverForm } from "./DriverForm";

function mount(errors: Record<string, string> = {}) {
  const host = document.createElement("div");
  document.body.append(host);
  const onSubmit = vi.fn();
  act(() => render(<DriverForm busy={false} errors={errors} onSubmit={onSubmit} />, host));
  return { host, onSubmit };
}

function type(host: HTMLElement, id: string, value: string) {
  const input = host.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)!;
  act(() => {
    input.value = value;
    input.dispatchEvent(new Event(input.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
  });
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the typed-in driver form", () => {
  it("labels every field in French", () => {
    const { host } = mount();
    const labels = [...host.querySelectorAll("label")].map((l) => l.textContent);
    expect(labels).toEqual([
      "Nom", "Prénom", "Adresse", "Complément d'adresse (facultatif)", "Code postal", "Ville", "Pays",
      "E-mail personnel (facultatif)", "E-mail professionnel (facultatif)",
    ]);
    for (const label of host.querySelectorAll("label")) {
      expect(host.querySelector(`#${label.htmlFor}`)).not.toBeNull();
    }
  });

  it("sends a foreign address with blank optional fields as null", () => {
    const { host, onSubmit } = mount();
    type(host, "driver-last_name", " Essai ");
    type(host, "driver-first_name", "Noa");
    type(host, "driver-address-line1", "8 rue du Test");
    type(host, "driver-address-postcode", "1000");
    type(host, "driver-address-city", "Bruxelles");
    type(host, "driver-address-country", "BEL");
    act(() => {
      host.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    });
    expect(onSubmit).toHaveBeenCalledWith({
      last_name: "Essai",
      first_name: "Noa",
      address: { line1: "8 rue du Test", line2: null, postcode: "1000", city: "Bruxelles", country: "BEL" },
      personal_email: null,
      professional_email: null,
    });
  });

  it("shows the API's error next to its field and marks the field invalid", () => {
    const { host } = mount({ "designation.driver.address.postcode": "Le code postal français a 5 chiffres (par exemple 69003)." });
    const input = host.querySelector("#driver-address-postcode")!;
    expect(input.getAttribute("aria-invalid")).toBe("true");
    const error = host.querySelector(`#${input.getAttribute("aria-describedby")}`)!;
    expect(error.textContent).toContain("5 chiffres");
    expect(error.closest(".field")!.querySelector("label")!.textContent).toBe("Code postal");
  });
});
