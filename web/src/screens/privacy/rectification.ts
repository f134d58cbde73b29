// What a rectification changes: only the fields the person asked to correct,
// so that the register names them (the API records the fields it was sent).
import type { Schemas } from "../../api/client";
import { type DriverValues, driverOf } from "../DriverForm";

type Driver = Schemas["Driver"];
type Address = Schemas["PostalAddress"];

const sameAddress = (a: Address, b: Address) =>
  a.line1 === b.line1 && (a.line2 ?? null) === (b.line2 ?? null) && a.postcode === b.postcode
  && a.city === b.city && a.country === b.country;

/** The driver's fields the values change (the address as a whole). */
export function driverChanges(driver: Driver, values: DriverValues): Record<string, unknown> {
  const typed = driverOf(values);
  const changes: Record<string, unknown> = {};
  if (typed.last_name !== driver.last_name) changes.last_name = typed.last_name;
  if (typed.first_name !== driver.first_name) changes.first_name = typed.first_name;
  if (!sameAddress(typed.address, driver.address)) changes.address = typed.address;
  if (typed.personal_email !== (driver.personal_email ?? null)) changes.personal_email = typed.personal_email;
  if (typed.professional_email !== (driver.professional_email ?? null)) changes.professional_email = typed.professional_email;
  return changes;
}

export interface UserNames {
  first_name: string;
  last_name: string;
}

export function userChanges(user: UserNames, values: UserNames): Record<string, string> {
  const changes: Record<string, string> = {};
  if (values.first_name.trim() !== user.first_name) changes.first_name = values.first_name.trim();
  if (values.last_name.trim() !== user.last_name) changes.last_name = values.last_name.trim();
  return changes;
}

/**
 * The API's field errors of a rectification by the form's field paths: it
 * names them `changes.address.postcode`, or `address.postcode` when the
 * driver's own checks refuse them.
 */
export function rectificationErrors(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([path, reason]) => [path.replace(/^changes\./, ""), reason]));
}
