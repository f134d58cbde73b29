// Assignments start and end at instants; people type and read them as
// Paris local dates and times, whatever the browser's time zone.
import { parisDateTime } from "../../format";

const PARIS = "Europe/Paris";

const parts = new Intl.DateTimeFormat("en-CA", {
  timeZone: PARIS, year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
});

/** The Paris wall clock at `ms`, as fields. */
function wallClock(ms: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts.formatToParts(new Date(ms))) {
    if (p.type !== "literal") out[p.type] = Number(p.value);
  }
  return out;
}

/** How far Paris is ahead of UTC at `ms`, in milliseconds. */
function parisOffset(ms: number): number {
  const w = wallClock(ms);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant (RFC 3339, UTC) of a Paris local `date` (AAAA-MM-JJ) and
 * `time` (HH:MM). A time skipped when clocks go forward lands an hour later.
 */
export function fromParis(date: string, time: string): string {
  const [year, month, day] = date.split("-").map(Number);
  const [hour, minute] = time.split(":").map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let instant = wall - parisOffset(wall);
  // The offset at the guess may differ from the offset at the answer near a change.
  const settled = wall - parisOffset(instant);
  if (settled !== instant) instant = settled;
  return new Date(instant).toISOString().replace(".000Z", "Z");
}

const pad = (n: number) => String(n).padStart(2, "0");

/** An instant as the Paris date (AAAA-MM-JJ) and time (HH:MM) inputs show it. */
export function toParis(iso: string): { date: string; time: string } {
  const w = wallClock(new Date(iso).getTime());
  return { date: `${w.year}-${pad(w.month)}-${pad(w.day)}`, time: `${pad(w.hour)}:${pad(w.minute)}` };
}

/** The day after a Paris date (AAAA-MM-JJ), for periods ending with a whole day. */
export function nextDay(date: string): string {
  const [year, month, day] = date.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

/** `JJ/MM/AAAA HH:MM`, Paris time. */
export function parisMinute(iso: string): string {
  return parisDateTime(iso).slice(0, 16);
}

interface Period {
  from: string;
  until?: string | null;
}

/** "du 01/03/2026 08:00 au 15/03/2026 00:00", or "depuis le …, jusqu'à nouvel ordre". */
export function periodLabel(period: Period): string {
  if (!period.until) return `depuis le ${parisMinute(period.from)}, jusqu'à nouvel ordre`;
  return `du ${parisMinute(period.from)} au ${parisMinute(period.until)}`;
}

export type PeriodState = "current" | "upcoming" | "past";

export function periodState(period: Period, now: number = Date.now()): PeriodState {
  if (new Date(period.from).getTime() > now) return "upcoming";
  if (period.until && new Date(period.until).getTime() <= now) return "past";
  return "current";
}

export const PERIOD_STATE: Record<PeriodState, string> = {
  current: "En cours",
  upcoming: "À venir",
  past: "Terminée",
};
