import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { type DrizzleD1Database, drizzle } from 'drizzle-orm/d1';
import { requireSignature } from '../signing/middleware.ts';
import { TtlCache } from '../ttl-cache.ts';
import { D1ReplayGuard } from './replay-guard.ts';
import { nodeKeys, nodes } from './schema.ts';

/** A node's signing key with who it belongs to: what a verified agent request carries. */
export interface NodeKey {
  keyId: string;
  secret: string;
  nodeId: string;
  siteId: string;
  role: 'primary' | 'secondary';
}

/** How long a key found in D1 is trusted without asking again: a removed key stops working within this. */
export const NODE_KEY_CACHE_MS = 5_000;

/** The key with this id and when it ends (ms; Infinity for a current key), unless it has ended. */
async function keyUntil(
  db: DrizzleD1Database,
  keyId: string,
  nowMs: number,
): Promise<{ key: NodeKey; untilMs: number } | undefined> {
  const [row] = await db
    .select({
      keyId: nodeKeys.id,
      secret: nodeKeys.secret,
      nodeId: nodes.id,
      siteId: nodes.siteId,
      role: nodes.role,
      expiresAt: nodeKeys.expiresAt,
    })
    .from(nodeKeys)
    .innerJoin(nodes, eq(nodeKeys.nodeId, nodes.id))
    .where(
      and(
        eq(nodeKeys.id, keyId),
        or(isNull(nodeKeys.expiresAt), gt(nodeKeys.expiresAt, new Date(nowMs))),
      ),
    )
    .limit(1);
  if (!row) return undefined;
  const { expiresAt, ...key } = row;
  return { key, untilMs: expiresAt?.getTime() ?? Number.POSITIVE_INFINITY };
}

/** The current (or rotated but not yet expired) key with this id, with its node and site. */
export async function findNodeKey(
  db: DrizzleD1Database,
  keyId: string,
  nowMs: number,
): Promise<NodeKey | undefined> {
  return (await keyUntil(db, keyId, nowMs))?.key;
}

/**
 * Middleware for the agent API: only requests signed with a node's current key pass, each
 * once; the node, its site and role are then `c.var.agentKey`. Keys and nonces live in D1;
 * keys found are kept `NODE_KEY_CACHE_MS` per isolate (never past their own end), so a
 * removed key stops working within seconds and most calls read no key from D1.
 * @example
 * app.use('/agent/*', requireNodeSignature());
 * app.get('/agent/whoami', (c) => c.json({ node: c.var.agentKey.nodeId }));
 */
export function requireNodeSignature() {
  // Owned by this middleware: keys found in D1, each kept briefly and never past its end.
  const keys = new TtlCache<{ key: NodeKey; untilMs: number }>(NODE_KEY_CACHE_MS, 1_000);
  const findKey = async (db: DrizzleD1Database, keyId: string) => {
    const nowMs = Date.now();
    const cached = keys.get(keyId, nowMs)?.value;
    if (cached && cached.untilMs > nowMs) return cached.key;
    const found = await keyUntil(db, keyId, nowMs);
    if (found) keys.set(keyId, found, nowMs);
    return found?.key;
  };
  return requireSignature<NodeKey>((env) => {
    const db = drizzle((env as { DB: D1Database }).DB);
    return { findKey: (keyId) => findKey(db, keyId), replayGuard: new D1ReplayGuard(db) };
  });
}
