// Every answer other than a designation, with the field each one needs.
import { useState } from "preact/hooks";
import type { Schemas } from "../api/client";
import { OTHER_REASONS, type OtherReason } from "../labels";
import { Field } from "./Field";

type Other = Schemas["OtherAnswer"];

interface Props {
  busy: boolean;
  errors: Record<string, string>;
  onSubmit: (other: Other) => void;
}

export function OtherAnswerForm({ busy, errors, onSubmit }: Props) {
  const [reason, setReason] = useState<OtherReason>("vehicle_sold");
  const [on, setOn] = useState("");
  const [text, setText] = useState("");

  function answer(): Other {
    switch (reason) {
      case "vehicle_sold":
      case "vehicle_returned":
        return { reason, on };
      case "vehicle_stolen":
        return { reason, on, complaint_reference: text.trim() };
      case "error":
        return { reason, justification: text.trim() };
      case "plate_usurpation":
        return { reason, details: text.trim() };
      case "vehicle_unknown":
      case "paper_notice_requested":
        return { reason };
    }
  }

  const dated = reason === "vehicle_sold" || reason === "vehicle_returned" || reason === "vehicle_stolen";
  const textField = {
    vehicle_stolen: ["complaint_reference", "Référence du dépôt de plainte"],
    error: ["justification", "Justification"],
    plate_usurpation: ["details", "Ce qui montre l'usurpation"],
  }[reason as string] as [string, string] | undefined;
  const dateLabel = reason === "vehicle_stolen" ? "Date du vol" : reason === "vehicle_sold" ? "Date de la vente" : "Date de restitution";

  return (
    <form class="other-form" noValidate aria-label="Autre réponse"
      onSubmit={(e) => { e.preventDefault(); onSubmit(answer()); }}>
      <Field label="Motif" id="other-reason">
        <select id="other-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value as OtherReason)}>
          {Object.entries(OTHER_REASONS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </Field>
      {dated && (
        <Field label={dateLabel} id="other-on" error={errors["other.on"]}>
          <input id="other-on" type="date" value={on} onInput={(e) => setOn(e.currentTarget.value)}
            aria-invalid={errors["other.on"] ? "true" : undefined} />
        </Field>
      )}
      {textField && (
        <Field label={textField[1]} id={`other-${textField[0]}`} error={errors[`other.${textField[0]}`]}>
          <textarea id={`other-${textField[0]}`} value={text} rows={3}
            onInput={(e) => setText(e.currentTarget.value)} />
        </Field>
      )}
      <button type="submit" class="primary" disabled={busy}>Envoyer cette réponse</button>
    </form>
  );
}
