import { eq, lte } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { statusTokens } from '../db/schema.ts';
import { sha256Hex } from '../hex.ts';
import { newSecret } from '../ids.ts';
import { requireSite } from './sites.ts';

const TOKEN_PREFIX = 'wpe_status_';

/**
 * Issues a token that opens the site's status page, and keeps only its SHA-256: the token is
 * shown once. Without `expiresInMs` it lasts until `revokeStatusTokens`; expired ones are
 * dropped here.
 */
export async function issueStatusToken(
  db: DrizzleD1Database,
  siteId: string,
  options: { label: string; expiresInMs?: number; nowMs?: number },
): Promise<string> {
  await requireSite(db, siteId);
  const nowMs = options.nowMs ?? Date.now();
  const token = `${TOKEN_PREFIX}${newSecret()}`;
  await db.delete(statusTokens).where(lte(statusTokens.expiresAt, nowMs));
  await db.insert(statusTokens).values({
    tokenHash: await sha256Hex(token),
    siteId,
    label: options.label,
    createdAt: nowMs,
    expiresAt: options.expiresInMs === undefined ? null : nowMs + options.expiresInMs,
  });
  return token;
}

/** Revokes every status token of a site; says how many there were. */
export async function revokeStatusTokens(db: DrizzleD1Database, siteId: string): Promise<number> {
  const gone = await db.delete(statusTokens).where(eq(statusTokens.siteId, siteId)).returning();
  return gone.length;
}

/** Whose token this is: its site, or undefined for a token that is unknown or expired. */
export async function statusTokenSite(
  db: DrizzleD1Database,
  token: string,
  nowMs = Date.now(),
): Promise<string | undefined> {
  const [row] = await db
    .select()
    .from(statusTokens)
    .where(eq(statusTokens.tokenHash, await sha256Hex(token)));
  if (!row || (row.expiresAt !== null && row.expiresAt <= nowMs)) return undefined;
  return row.siteId;
}
