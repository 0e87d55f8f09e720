import { DurableObject } from 'cloudflare:workers';
import { toHex } from '@wp-edge/core';
import { endOfDayMs, utcDay } from './day.ts';

interface StoredSalt {
  day: string;
  salt: string;
}

/**
 * Keeps one random salt for the current UTC day and forgets it when the day ends (an alarm
 * at midnight), so a visitor hash can never be linked back to an address once its day is
 * over, even on a site nobody visits the next day. It lives apart from the counts on
 * purpose: the counts never hold the salt.
 */
export class DailySalt extends DurableObject<Env> {
  /**
   * The salt of `day`, or of a later day already begun: days only move forward, so callers
   * whose clocks disagree around midnight cannot swap the salt back and forth.
   */
  async saltFor(day: string): Promise<string> {
    const stored = await this.ctx.storage.get<StoredSalt>('salt');
    if (stored && stored.day >= day) return stored.salt;
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const salt = toHex(bytes);
    await this.ctx.storage.put('salt', { day, salt } satisfies StoredSalt);
    await this.ctx.storage.setAlarm(endOfDayMs(day));
    return salt;
  }

  /** At midnight: forget the salt of the day that ended (an early or repeated alarm waits for it). */
  override async alarm(): Promise<void> {
    const stored = await this.ctx.storage.get<StoredSalt>('salt');
    if (!stored) return;
    if (stored.day < utcDay(Date.now())) await this.ctx.storage.delete('salt');
    else await this.ctx.storage.setAlarm(endOfDayMs(stored.day));
  }
}
