// An entity's form values, by the API's field path (`address.postcode`),
// and the input sent from them: a legal entity always sends its address
// (so each missing line is named), an internal one only when typed in.
import type { Schemas } from "../../api/client";

type Entity = Schemas["Entity"];
type EntityInput = Schemas["EntityInput"];
export type EntityKind = Schemas["EntityKind"];

export type EntityValues = Record<string, string> & { kind: EntityKind };

export const KIND_LABEL: Record<EntityKind, string> = {
  legal: "Personne morale",
  internal: "Entité interne",
};

export const KIND_HINT: Record<EntityKind, string> = {
  legal: "Une société ou une filiale, avec son adresse et, si vous les avez, son SIREN et son SIRET.",
  internal: "Un site, une agence ou un service de votre société : un nom suffit.",
};

const ADDRESS = ["address.line1", "address.line2", "address.postcode", "address.city"] as const;

export const EMPTY_ENTITY: EntityValues = {
  kind: "legal", name: "", "address.line1": "", "address.line2": "", "address.postcode": "",
  "address.city": "", "address.country": "FRA", siren: "", siret: "",
};

/** A stored entity's values, to edit them. */
export function entityValues(entity: Entity): EntityValues {
  const a = entity.address;
  return {
    kind: entity.kind, name: entity.name,
    "address.line1": a?.line1 ?? "", "address.line2": a?.line2 ?? "", "address.postcode": a?.postcode ?? "",
    "address.city": a?.city ?? "", "address.country": a?.country ?? "FRA",
    siren: entity.siren ?? "", siret: entity.siret ?? "",
  };
}

/** Digits only: « 732 829 320 » is typed as it is printed. */
const digits = (value: string) => value.replace(/[\s.]/g, "");

/** What the API is sent for these values. */
export function entityInput(values: EntityValues): EntityInput {
  const legal = values.kind === "legal";
  const typed = ADDRESS.some((field) => values[field].trim() !== "");
  const address = legal || typed
    ? {
      line1: values["address.line1"].trim(),
      line2: values["address.line2"].trim() || null,
      postcode: values["address.postcode"].trim(),
      city: values["address.city"].trim(),
      country: values["address.country"],
    }
    : null;
  return {
    kind: values.kind,
    name: values.name.trim(),
    address,
    siren: legal && digits(values.siren) ? digits(values.siren) : null,
    siret: legal && digits(values.siret) ? digits(values.siret) : null,
  };
}

/** The input id each of the API's field paths is shown next to. */
export const ENTITY_FIELD_IDS: Record<string, string> = {
  name: "entity-name",
  address: "entity-address-line1",
  "address.line1": "entity-address-line1",
  "address.line2": "entity-address-line2",
  "address.postcode": "entity-address-postcode",
  "address.city": "entity-address-city",
  "address.country": "entity-address-country",
  siren: "entity-siren",
  siret: "entity-siret",
};

/** « 1 rue de l'Exemple, 59000 Lille » (the country when not France). */
export function addressLine(entity: Entity): string {
  const a = entity.address;
  if (!a) return "";
  const country = a.country === "FRA" ? "" : ` (${a.country})`;
  return [a.line1, a.line2, `${a.postcode} ${a.city}`.trim()].filter(Boolean).join(", ") + country;
}
