import { toHex } from '@wp-edge/core';
import { utcDay } from './day.ts';

/** How many Durable Objects share one site's counts; visitors are partitioned among them. */
export const SHARD_COUNT = 16;

export interface Visitor {
  /** SHA-256 of the day's salt, site, address and user agent: the same visitor all day, unlinkable after. */
  hash: string;
  shard: number;
}

// One salt per isolate and day, so a view costs no extra call once the isolate has it.
let cachedSalt: { day: string; salt: string } | undefined;

async function todaysSalt(env: Env, day: string): Promise<string> {
  if (cachedSalt?.day === day) return cachedSalt.salt;
  const salt = await env.DAILY_SALT.get(env.DAILY_SALT.idFromName('salt')).saltFor(day);
  cachedSalt = { day, salt };
  return salt;
}

/** The visitor behind a request, as a daily hash, and the shard that counts them. */
export async function identifyVisitor(
  env: Env,
  request: Request,
  siteId: string,
): Promise<Visitor> {
  const salt = await todaysSalt(env, utcDay(Date.now()));
  const address = request.headers.get('cf-connecting-ip') ?? '';
  const agent = request.headers.get('user-agent') ?? '';
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(`${salt}\n${siteId}\n${address}\n${agent}`),
  );
  const bytes = new Uint8Array(digest);
  const hash = toHex(bytes);
  const shard = (((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0)) % SHARD_COUNT;
  return { hash, shard };
}
