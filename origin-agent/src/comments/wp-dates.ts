/** How the site tells local time, from WordPress's `timezone_string` and `gmt_offset` options. */
export interface SiteTimeZone {
  /** An IANA zone such as `Europe/Berlin`; WordPress prefers it to `gmt_offset` when set. */
  timeZone?: string;
  offsetHours: number;
}

const PARTS = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const;

function inZone(date: Date, timeZone: string): string | undefined {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    return undefined;
  }
  const parts = Object.fromEntries(
    format.formatToParts(date).map((part) => [part.type, part.value]),
  );
  const [year, month, day, hour, minute, second] = PARTS.map((type) => parts[type]);
  return `${year}-${month}-${day} ${hour}:${minute}:${second}`;
}

/**
 * A moment as WordPress writes `comment_date`: `YYYY-MM-DD HH:MM:SS` in the site's time zone
 * at that moment (daylight saving included), or shifted by `gmt_offset` when the site names
 * no zone, or names one this runtime does not know.
 */
export function wpLocalDate(iso: string, zone: SiteTimeZone): string {
  const date = new Date(iso);
  const named = zone.timeZone ? inZone(date, zone.timeZone) : undefined;
  if (named) return named;
  return new Date(date.getTime() + zone.offsetHours * 3_600_000)
    .toISOString()
    .slice(0, 19)
    .replace('T', ' ');
}
