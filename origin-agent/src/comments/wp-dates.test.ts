import { describe, expect, it } from 'vitest';
import { wpLocalDate } from './wp-dates.ts';

describe('comment dates in the site’s time', () => {
  it.each([
    ['UTC with no zone', { offsetHours: 0 }, '2026-07-01T12:00:00Z', '2026-07-01 12:00:00'],
    ['a fixed offset', { offsetHours: 5.5 }, '2026-07-01T12:00:00Z', '2026-07-01 17:30:00'],
    [
      'a named zone in summer time',
      { timeZone: 'Europe/Berlin', offsetHours: 1 },
      '2026-07-01T12:00:00Z',
      '2026-07-01 14:00:00',
    ],
    [
      'a named zone in winter time',
      { timeZone: 'Europe/Berlin', offsetHours: 2 },
      '2026-01-15T23:30:00Z',
      '2026-01-16 00:30:00',
    ],
    [
      'an unknown zone, falling back to the offset',
      { timeZone: 'Mars/Olympus', offsetHours: -3 },
      '2026-07-01T02:00:00Z',
      '2026-06-30 23:00:00',
    ],
  ])('writes %s as WordPress would', (_what, zone, iso, expected) => {
    expect(wpLocalDate(iso, zone)).toBe(expected);
  });
});
