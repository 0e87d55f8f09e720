import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { type DrizzleD1Database, drizzle } from 'drizzle-orm/d1';
import { requireSignature } from '../signing/middleware.ts';
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

/** The current (or rotated but not yet expired) key with this id, with its node and site. */
export async function findNodeKey(
  db: DrizzleD1Database,
  keyId: string,
  nowMs: number,
): Promise<NodeKey | undefined> {
  const [row] = await db
    .select({
      keyId: nodeKeys.id,
      secret: nodeKeys.secret,
      nodeId: nodes.id,
      siteId: nodes.siteId,
      role: nodes.role,
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
  return row;
}

/**
 * Middleware for the agent API: only requests signed with a node's current key pass, each
 * once; the node, its site and role are then `c.var.agentKey`. Keys and nonces live in D1.
 * @example
 * app.use('/agent/*', requireNodeSignature());
 * app.get('/agent/whoami', (c) => c.json({ node: c.var.agentKey.nodeId }));
 */
export function requireNodeSignature() {
  return requireSignature<NodeKey>((env) => {
    const db = drizzle((env as { DB: D1Database }).DB);
    return {
      findKey: (keyId) => findNodeKey(db, keyId, Date.now()),
      replayGuard: new D1ReplayGuard(db),
    };
  });
}
