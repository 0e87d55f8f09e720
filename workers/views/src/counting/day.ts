/** The UTC day of a moment as `YYYY-MM-DD`: the unit of unique visitors and daily counts. */
export function utcDay(atMs: number): string {
  return new Date(atMs).toISOString().slice(0, 10);
}

/** The UTC day `days` before the given one. */
export function daysBefore(day: string, days: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000);
}
