// One sentence carried from a form to the list it returns to ("Véhicule
// enregistré"), read once.
let pending: string | null = null;

export function flash(message: string): void {
  pending = message;
}

export function takeFlash(): string | null {
  const message = pending;
  pending = null;
  return message;
}
