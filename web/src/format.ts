// French formatting of what the API sends: offences are Europe/Paris local
// time, amounts are cents, deadlines are calendar days.

const PARIS = "Europe/Paris";

const dateTime = new Intl.DateTimeFormat("fr-FR", {
  timeZone: PARIS,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** `JJ/MM/AAAA HH:MM:SS` in Paris time, whatever the browser's zone. */
export function parisDateTime(iso: string): string {
  const parts = Object.fromEntries(
    dateTime.formatToParts(new Date(iso)).map((p) => [p.type, p.value]),
  );
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** A calendar day (`2026-12-24`) as `24/12/2026`. */
export function frenchDate(day: string): string {
  const [year, month, date] = day.split("-");
  return `${date}/${month}/${year}`;
}

const euros = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });

/** `13500` → `135,00 €` (with French spacing). */
export function amount(cents: number): string {
  return euros.format(cents / 100);
}

export type Urgency = "late" | "urgent" | "soon" | "calm";

/** Red within 2 days, orange within 7. */
export function urgency(daysLeft: number): Urgency {
  if (daysLeft < 0) return "late";
  if (daysLeft <= 2) return "urgent";
  if (daysLeft <= 7) return "soon";
  return "calm";
}

export function daysLeftLabel(daysLeft: number): string {
  if (daysLeft < 0) return "délai dépassé";
  if (daysLeft === 0) return "dernier jour";
  if (daysLeft === 1) return "1 jour";
  return `${daysLeft} jours`;
}

/** Seconds as `4 min 05 s`, for the grace window's countdown. */
export function countdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, "0")} min`;
  return `${minutes} min ${rest} s`;
}

const monthOnly = new Intl.DateTimeFormat("fr-FR", { month: "short", timeZone: "UTC" });
const shortMonth = new Intl.DateTimeFormat("fr-FR", { month: "short", year: "2-digit", timeZone: "UTC" });
const longMonth = new Intl.DateTimeFormat("fr-FR", { month: "long", year: "numeric", timeZone: "UTC" });

/** `2026-03` as `mars 26` (short), `mars 2026` (long) or `mars` (month). */
export function monthLabel(month: string, length: "short" | "long" | "month" = "short"): string {
  const [year, number] = month.split("-").map(Number);
  const first = new Date(Date.UTC(year, number - 1, 1));
  const format = { short: shortMonth, long: longMonth, month: monthOnly }[length];
  return format.format(first);
}
