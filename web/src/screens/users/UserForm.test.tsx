import { afterEach, describe, expect, it, vi } from "vitest";
import { render } from "preact";
import { act } from "preact/test-utils";
import type { Problem, Schemas } from "../../api/client";
import { noRoles } from "./grants";
import { UserForm } from "./UserForm";

const entities: Schemas["Entity"][] = [
  { entity_id: "e-lyon", kind: "internal", name: "Agence de Lyon" },
  { entity_id: "e-paris", kind: "internal", name: "Siège" },
];

function mount(props: { problem?: Problem | null; ownGrants?: Schemas["Grant"][]; mayGrantAll?: boolean } = {}) {
  const host = document.createElement("div");
  document.body.append(host);
  const onSubmit = vi.fn();
  const mayGrantAll = props.mayGrantAll ?? true;
  const draw = (problem: Problem | null) => render(
    <UserForm initial={{ first_name: "", last_name: "", email: "", choices: noRoles(mayGrantAll) }} withEmail
      ownGrants={props.ownGrants} grantable={entities} entityName={(id) => id} mayGrantAll={mayGrantAll}
      busy={false} problem={problem} submitLabel="Envoyer l'invitation" onSubmit={onSubmit} />, host);
  act(() => draw(props.problem ?? null));
  return { host, onSubmit, draw: (problem: Problem | null) => act(() => draw(problem)) };
}

const click = (element: Element) => act(() => (element as HTMLElement).click());
const submit = (host: HTMLElement) => act(() => {
  host.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
});

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the user form", () => {
  it("sends designation on one chosen entity", () => {
    const { host, onSubmit } = mount();
    click(host.querySelector("#grant-designation")!);
    const some = [...host.querySelectorAll<HTMLLabelElement>("label.radio")].find((l) => l.textContent === "Certaines entités")!;
    click(some.querySelector("input")!);
    const lyon = [...host.querySelectorAll<HTMLLabelElement>(".entity-choices label")].find((l) => l.textContent === "Agence de Lyon")!;
    click(lyon.querySelector("input")!);
    submit(host);
    expect(onSubmit.mock.calls[0][0].choices.designation).toEqual({
      granted: true, allEntities: false, entities: ["e-lyon"], until: "",
    });
  });

  it("puts a grant's error on the role it was sent for", () => {
    const { host, draw } = mount();
    click(host.querySelector("#grant-fleet_management")!);
    click(host.querySelector("#grant-designation")!);
    submit(host);
    draw({ message: "Certains champs sont à corriger :", fields: {
      "grants[1].until": "La date de fin du rôle est passée : choisissez aujourd'hui ou plus tard.",
      email: "« x » n'est pas une adresse e-mail.",
    } });
    expect(host.querySelector("#grant-designation-until-error")?.textContent).toContain("date de fin du rôle");
    expect(host.querySelector("#user-email-error")?.textContent).toContain("n'est pas une adresse e-mail");
    expect(host.querySelector("#user-email")?.getAttribute("aria-describedby")).toBe("user-email-hint user-email-error");
  });

  it("shows one's own roles without letting them change, and says why", () => {
    const { host } = mount({ ownGrants: [{ role: "admin", scope: { kind: "all_entities" } }] });
    expect(host.querySelector("#grant-admin")).toBeNull();
    expect(host.textContent).toContain("Administration : toutes les entités");
    expect(host.textContent).toContain("Vous ne pouvez pas changer vos propres rôles");
  });

  it("offers an entity's admin only chosen entities", () => {
    const { host } = mount({ mayGrantAll: false });
    click(host.querySelector("#grant-designation")!);
    expect(host.textContent).not.toContain("Toutes les entités");
    expect(host.querySelectorAll(".entity-choices input").length).toBe(2);
  });
});
