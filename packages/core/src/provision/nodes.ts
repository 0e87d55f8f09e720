import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { NodeConfig, type NodeRole } from '../config/site.ts';
import type { SiteSnapshot } from '../config/snapshot.ts';
import { nodeKeys, nodes, siteHosts } from '../db/schema.ts';
import { newId, newSecret } from '../ids.ts';
import { forgetNodes, runBatch } from './forget-nodes.ts';
import { publishSnapshots } from './publish.ts';
import { readSites } from './read-sites.ts';
import { ProvisionError, type ProvisionStore } from './store.ts';

/** A node's signing key: the id an agent names in its signature and the shared secret. */
export interface SigningKey {
  keyId: string;
  secret: string;
}

/** The statement that gives a node a fresh signing key (or the one given), and the key. */
export function newKey(
  db: DrizzleD1Database,
  nodeId: string,
  nowMs: number,
  key: SigningKey = { keyId: newId(nowMs), secret: newSecret() },
) {
  const insert = db
    .insert(nodeKeys)
    .values({ id: key.keyId, nodeId, secret: key.secret, createdAt: new Date(nowMs) });
  return { key, insert };
}

/** The node with this id (its site and role), or a refusal that says how to list them. */
export async function requireNode(
  db: DrizzleD1Database,
  nodeId: string,
): Promise<{ id: string; siteId: string; role: NodeRole }> {
  const [node] = await db
    .select({ id: nodes.id, siteId: nodes.siteId, role: nodes.role })
    .from(nodes)
    .where(eq(nodes.id, nodeId));
  if (!node)
    throw new ProvisionError(`there is no node ${nodeId}; list them with: npx wp-edge nodes list`);
  return node;
}

/**
 * Adds a node to a site with a fresh signing key (or `options.key`, for a test that signs
 * with a key it knows), republishes the site and returns the key.
 */
export async function addNode(
  store: ProvisionStore,
  siteId: string,
  input: unknown,
  options: { key?: SigningKey } = {},
): Promise<{ site: SiteSnapshot; key: SigningKey }> {
  const node = NodeConfig.parse(input);
  const [site] = await readSites(store.db, [siteId]);
  if (!site)
    throw new ProvisionError(
      `there is no site ${siteId}; add it first with: npx wp-edge sites add`,
    );
  const [taken] = await store.db.select().from(nodes).where(eq(nodes.id, node.id));
  if (taken) throw new ProvisionError(`node ${node.id} already exists (site ${taken.siteId})`);
  const primary = site.nodes.find((existing) => existing.role === 'primary');
  if (node.role === 'primary' && primary) {
    throw new ProvisionError(
      `site ${siteId} already has primary node ${primary.id}; add this one as --role secondary or remove ${primary.id} first`,
    );
  }
  const now = Date.now();
  const { key, insert } = newKey(store.db, node.id, now, options.key);
  await runBatch(store.db, [
    store.db.insert(nodes).values({ ...node, siteId, createdAt: new Date(now) }),
    insert,
  ]);
  const snapshots = await readSites(store.db, [siteId]);
  await publishSnapshots(store, snapshots);
  return { site: snapshots[0] as SiteSnapshot, key };
}

/** Removes a node with its keys, cursor, alerts and comment locations, and republishes its site. */
export async function removeNode(store: ProvisionStore, nodeId: string): Promise<void> {
  const node = await requireNode(store.db, nodeId);
  await runBatch(store.db, forgetNodes(store.db, [nodeId]));
  await publishSnapshots(store, await readSites(store.db, [node.siteId]));
}

/**
 * Gives a node a new signing key. Its current keys keep working for `graceHours`, so the
 * agent can be given the new config without a gap; keys already expiring sooner keep
 * their earlier end.
 */
export async function rotateNodeKey(
  db: DrizzleD1Database,
  nodeId: string,
  graceHours: number,
): Promise<SigningKey> {
  await requireNode(db, nodeId);
  const now = Date.now();
  const until = new Date(now + graceHours * 3_600_000);
  const { key, insert } = newKey(db, nodeId, now + 1);
  await runBatch(db, [
    db
      .update(nodeKeys)
      .set({ expiresAt: until })
      .where(
        and(
          eq(nodeKeys.nodeId, nodeId),
          or(isNull(nodeKeys.expiresAt), gt(nodeKeys.expiresAt, until)),
        ),
      ),
    insert,
  ]);
  return key;
}

/** A node's newest key without an end, or undefined when it has none. */
export async function currentNodeKey(
  db: DrizzleD1Database,
  nodeId: string,
): Promise<SigningKey | undefined> {
  const [key] = await db
    .select({ keyId: nodeKeys.id, secret: nodeKeys.secret })
    .from(nodeKeys)
    .where(and(eq(nodeKeys.nodeId, nodeId), isNull(nodeKeys.expiresAt)))
    .orderBy(desc(nodeKeys.id))
    .limit(1);
  return key;
}

/** A current key of one of the site's nodes (its primary's first) and a host of the site. */
export async function siteSigningKey(
  db: DrizzleD1Database,
  siteId: string,
): Promise<(SigningKey & { host: string }) | undefined> {
  const [key] = await db
    .select({ keyId: nodeKeys.id, secret: nodeKeys.secret, host: siteHosts.host })
    .from(nodeKeys)
    .innerJoin(nodes, eq(nodes.id, nodeKeys.nodeId))
    .innerJoin(siteHosts, eq(siteHosts.siteId, nodes.siteId))
    .where(and(eq(nodes.siteId, siteId), isNull(nodeKeys.expiresAt)))
    .orderBy(desc(eq(nodes.role, 'primary')))
    .limit(1);
  return key;
}
