import { and, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { SeedConfig } from '../config/seed.ts';
import type { SiteSnapshot } from '../config/snapshot.ts';
import { nodeKeys, nodes, siteHosts, sites } from '../db/schema.ts';
import { forgetNodes, runBatch } from './forget-nodes.ts';
import { newKey } from './nodes.ts';
import { publishSnapshots } from './publish.ts';
import { readSites } from './read-sites.ts';
import { assertHostsFree, newSiteRow } from './sites.ts';
import { ProvisionError, type ProvisionStore } from './store.ts';

type SeedSite = SeedConfig['sites'][number];

async function siteStatements(
  db: DrizzleD1Database,
  site: SeedSite,
  keyed: Set<string>,
  nowMs: number,
): Promise<BatchItem<'sqlite'>[]> {
  const now = new Date(nowMs);
  const keep = site.nodes.map((node) => node.id);
  const dropped = await db
    .select({ id: nodes.id })
    .from(nodes)
    .where(and(eq(nodes.siteId, site.id), notInArray(nodes.id, keep)));
  return [
    db
      .insert(sites)
      .values(newSiteRow(site, now))
      .onConflictDoUpdate({
        target: sites.id,
        set: {
          name: sql`excluded.name`,
          settings: sql`excluded.settings`,
          originSecret: sql`coalesce(${sites.originSecret}, excluded.origin_secret)`,
          updatedAt: sql`excluded.updated_at`,
        },
      }),
    db.delete(siteHosts).where(eq(siteHosts.siteId, site.id)),
    db.insert(siteHosts).values(site.hosts.map((host) => ({ host, siteId: site.id }))),
    ...forgetNodes(
      db,
      dropped.map((node) => node.id),
    ),
    // Everyone steps down first, so the primary can move without two primaries at once.
    db.update(nodes).set({ role: 'secondary' }).where(eq(nodes.siteId, site.id)),
    ...site.nodes.flatMap((node) => [
      db
        .insert(nodes)
        .values({ ...node, siteId: site.id, createdAt: now })
        .onConflictDoUpdate({
          target: nodes.id,
          set: { originUrl: node.originUrl, role: node.role, weight: node.weight },
        }),
      ...(keyed.has(node.id) ? [] : [newKey(db, node.id, nowMs).insert]),
    ]),
  ];
}

/**
 * Makes D1 match the seed for every site it lists (hosts and nodes not in the file are
 * removed from those sites), gives new nodes a key, and publishes the snapshots.
 */
export async function applySeed(store: ProvisionStore, seed: SeedConfig): Promise<SiteSnapshot[]> {
  const { db } = store;
  const siteIds = seed.sites.map((site) => site.id);
  const nodeIds = seed.sites.flatMap((site) => site.nodes.map((node) => node.id));
  for (const site of seed.sites) await assertHostsFree(db, site.hosts, site.id);
  const owners = await db.select().from(nodes).where(inArray(nodes.id, nodeIds));
  for (const row of owners) {
    const wanted = seed.sites.find((site) => site.nodes.some((node) => node.id === row.id));
    if (wanted && wanted.id !== row.siteId) {
      throw new ProvisionError(
        `node ${row.id} already belongs to site ${row.siteId}, not ${wanted.id}`,
      );
    }
  }
  const before = await db.select().from(siteHosts).where(inArray(siteHosts.siteId, siteIds));
  const current = await db
    .select({ nodeId: nodeKeys.nodeId })
    .from(nodeKeys)
    .where(and(inArray(nodeKeys.nodeId, nodeIds), isNull(nodeKeys.expiresAt)));
  const keyed = new Set(current.map((row) => row.nodeId));
  const now = Date.now();
  const statements = await Promise.all(
    seed.sites.map((site) => siteStatements(db, site, keyed, now)),
  );
  await runBatch(db, statements.flat());
  const snapshots = await readSites(db, siteIds);
  await publishSnapshots(
    store,
    snapshots,
    before.map((row) => row.host),
  );
  return snapshots;
}
