import { addressKey, toHex } from '@wp-edge/core';
import { utcDay } from './day.ts';

/**
 * How many Durable Objects share one site's counts; addresses are partitioned among them. Few,
 * so that views arriving together share a shard's commit (storage-schema.md).
 */
export const SHARD_COUNT = 4;

/** The most shards a site's counts have been spread over (16 before SHARD_COUNT was 4): settle and wipe reach them all. */
export const SHARDS_EVER = 16;

export interface Visitor {
  /** SHA-256 of the day's salt, site, address and user agent: the same visitor all day, unlinkable after. */
  hash: string;
  /** SHA-256 of the day's salt, site and address key (an IPv6 /64): what views per address are limited under. */
  address: string;
  /** The shard of the address, so one address's views (all its visitors') land on one shard. */
  shard: number;
}

const sha256 = async (text: string) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));

// One salt per isolate and day, so a view costs no extra call once the isolate has it.
let cachedSalt: { day: string; salt: string } | undefined;

async function todaysSalt(env: Env, day: string): Promise<string> {
  if (cachedSalt?.day === day) return cachedSalt.salt;
  const salt = await env.DAILY_SALT.get(env.DAILY_SALT.idFromName('salt')).saltFor(day);
  cachedSalt = { day, salt };
  return salt;
}

/** The visitor behind a request and their address, as daily hashes, and the shard that counts them. */
export async function identifyVisitor(
  env: Env,
  request: Request,
  siteId: string,
): Promise<Visitor> {
  const salt = await todaysSalt(env, utcDay(Date.now()));
  const address = request.headers.get('cf-connecting-ip') ?? '';
  const agent = request.headers.get('user-agent') ?? '';
  const [visitor, network] = await Promise.all([
    sha256(`${salt}\n${siteId}\n${address}\n${agent}`),
    sha256(`${salt}\n${siteId}\n${addressKey(address)}`),
  ]);
  const shard = (((network[0] ?? 0) << 8) | (network[1] ?? 0)) % SHARD_COUNT;
  return { hash: toHex(visitor), address: toHex(network), shard };
}
