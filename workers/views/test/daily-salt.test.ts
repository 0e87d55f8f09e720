import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

describe('the daily salt', () => {
  it('changes with the day, and never goes back to an earlier one', async () => {
    const salts = env.DAILY_SALT.get(env.DAILY_SALT.idFromName('salt-days'));
    const monday = await salts.saltFor('2026-11-23');
    expect(await salts.saltFor('2026-11-23')).toBe(monday);
    const tuesday = await salts.saltFor('2026-11-24');
    expect(tuesday).not.toBe(monday);
    expect(await salts.saltFor('2026-11-23')).toBe(tuesday);
    expect(await salts.saltFor('2026-11-24')).toBe(tuesday);
  });
});
