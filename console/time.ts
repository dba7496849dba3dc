/**
 * 平顶山 keeps China Standard Time (UTC+8, no daylight saving). Cases are
 * stored with UTC timestamps; staff think in local calendar days, so every
 * day boundary (filters, deadlines, summaries) is computed here.
 */
export const LOCAL_OFFSET_HOURS = 8;
const OFFSET_MS = LOCAL_OFFSET_HOURS * 3_600_000;
const DAY_MS = 86_400_000;

/** "2026-11-25" for an instant, in local time. */
export function localDay(at: Date | string): string {
  const t = typeof at === "string" ? Date.parse(at) : at.getTime();
  return new Date(t + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a local day starts, as an ISO string comparable with stored timestamps. */
export function dayStart(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - OFFSET_MS).toISOString();
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function isDay(text: string | undefined): text is string {
  return (
    text !== undefined &&
    /^\d{4}-\d{2}-\d{2}$/.test(text) &&
    new Date(`${text}T00:00:00.000Z`).toISOString().slice(0, 10) === text
  );
}

export function isMonth(text: string | undefined): text is string {
  return text !== undefined && /^\d{4}-(0[1-9]|1[0-2])$/.test(text);
}

/** The Monday of the local week containing `day`. */
export function weekStart(day: string): string {
  const weekday = new Date(`${day}T00:00:00.000Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

export function monthStart(month: string): string {
  return `${month}-01`;
}

export function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

export function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** Days from `from` (inclusive) to `to` (exclusive). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d < to; d = addDays(d, 1)) days.push(d);
  return days;
}

/** "2026-11-25 14:58" in local time, for display. */
export function localDateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t + OFFSET_MS).toISOString().slice(0, 16).replace("T", " ");
}
