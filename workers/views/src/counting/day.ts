/** The UTC day of a moment as `YYYY-MM-DD`: the unit of unique visitors and daily counts. */
export function utcDay(atMs: number): string {
  return new Date(atMs).toISOString().slice(0, 10);
}

/** The UTC day `days` before the given one. */
export function daysBefore(day: string, days: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000);
}

/** The moment the given UTC day ends (the next day's midnight), in ms. */
export function endOfDayMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) + 86_400_000;
}
