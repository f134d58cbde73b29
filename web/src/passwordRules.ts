// The user pool's password policy (template.yaml), checked as you type so
// the invited person sees which rule is still missing.
export const PASSWORD_RULES: [string, (password: string) => boolean][] = [
  ["au moins 12 caractères", (p) => [...p].length >= 12],
  ["une minuscule", (p) => /\p{Ll}/u.test(p)],
  ["une majuscule", (p) => /\p{Lu}/u.test(p)],
  ["un chiffre", (p) => /[0-9]/.test(p)],
  ["un symbole (par exemple ! ? - _ #)", (p) => /[^\p{L}\p{N}\s]/u.test(p)],
];

export function missingRules(password: string): string[] {
  return PASSWORD_RULES.filter(([, holds]) => !holds(password)).map(([rule]) => rule);
}
