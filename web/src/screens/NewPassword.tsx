// Choosing a password (invitation, forgotten password): the pool's rules
// checked as you type, and the confirmation.
import { PASSWORD_RULES, missingRules } from "../passwordRules";
import { Field } from "./Field";

interface Props {
  password: string;
  confirmation: string;
  onPassword: (value: string) => void;
  onConfirmation: (value: string) => void;
}

export function NewPasswordFields({ password, confirmation, onPassword, onConfirmation }: Props) {
  const mismatch = confirmation !== "" && confirmation !== password;
  return (
    <>
      <Field label="Mot de passe" id="new-password">
        <input id="new-password" type="password" autocomplete="new-password" value={password}
          aria-describedby="password-rules" onInput={(e) => onPassword(e.currentTarget.value)} />
      </Field>
      <ul id="password-rules" class="rules" aria-live="polite" aria-label="Règles du mot de passe">
        {PASSWORD_RULES.map(([rule, holds]) => (
          <li key={rule} class={holds(password) ? "met" : "unmet"}>
            <span aria-hidden="true">{holds(password) ? "✓" : "○"}</span> {rule}
            <span class="visually-hidden">{holds(password) ? " : respecté" : " : manquant"}</span>
          </li>
        ))}
      </ul>
      <Field label="Confirmez le mot de passe" id="confirm-password"
        error={mismatch ? "Les deux mots de passe ne sont pas identiques." : undefined}>
        <input id="confirm-password" type="password" autocomplete="new-password" value={confirmation}
          onInput={(e) => onConfirmation(e.currentTarget.value)} />
      </Field>
    </>
  );
}

/** What stops the chosen password, in French, or null. */
export function newPasswordProblem(password: string, confirmation: string): string | null {
  const missing = missingRules(password);
  if (missing.length > 0) return `Il manque à votre mot de passe : ${missing.join(", ")}.`;
  if (password !== confirmation) return "Les deux mots de passe ne sont pas identiques.";
  return null;
}
