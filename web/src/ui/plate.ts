// A plate as people write it: SIV with dashes, FNI with spaces.
import type { Schemas } from "../api/client";

export function plateLabel(plate: Schemas["Plate"]): string {
  const n = plate.normalized;
  const kind = plate.kind;
  if (kind.system === "siv" && n.length === 7) return `${n.slice(0, 2)}-${n.slice(2, 5)}-${n.slice(5)}`;
  if (kind.system === "w_garage") {
    if (n.startsWith("W")) return `W-${n.slice(1, 4)}-${n.slice(4)}`;
    const w = Math.max(0, n.indexOf("W"));
    return `${n.slice(0, w)} W ${n.slice(w + 1)}`;
  }
  if (kind.system === "fni") {
    const body = n.slice(0, n.length - kind.department.length);
    const letters = body.search(/[A-Z]/);
    const split = letters < 0 ? body.length : letters;
    return `${body.slice(0, split)} ${body.slice(split)} ${kind.department}`;
  }
  return n;
}
