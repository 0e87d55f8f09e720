import { eq, inArray } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { imageManifestKey } from '../config/images.ts';
import { SiteConfig } from '../config/site.ts';
import type { SiteSnapshot } from '../config/snapshot.ts';
import { syncSitePrefix } from '../contract/sync-api.ts';
import {
  akismetOutbox,
  catalogComments,
  catalogPosts,
  catalogSites,
  commentLog,
  comments,
  edgeFigures,
  logRetention,
  nodeAlerts,
  nodeCursors,
  siteHosts,
  siteRemovals,
  sites,
  statusTokens,
} from '../db/schema.ts';
import { newSecret } from '../ids.ts';
import { forgetNodes, runBatch } from './forget-nodes.ts';
import { publishSnapshots } from './publish.ts';
import { readSites } from './read-sites.ts';
import { ProvisionError, type ProvisionStore } from './store.ts';

/** A site to create: its id, host names, optional name and settings (defaults otherwise). */
export interface NewSite {
  id: string;
  name?: string;
  hosts: string[];
  settings?: unknown;
}

/** Refuses hosts that already belong to a site other than `siteId`. */
export async function assertHostsFree(
  db: DrizzleD1Database,
  hosts: string[],
  siteId: string,
): Promise<void> {
  const owners = await db.select().from(siteHosts).where(inArray(siteHosts.host, hosts));
  const taken = owners.filter((row) => row.siteId !== siteId);
  if (taken.length > 0) {
    const list = taken.map((row) => `${row.host} (site ${row.siteId})`).join(', ');
    throw new ProvisionError(`host already served by another site: ${list}`);
  }
}

/** The `sites` row of a new site, with a fresh origin secret. */
export function newSiteRow(site: SiteConfig, now: Date) {
  return {
    id: site.id,
    name: site.name ?? null,
    settings: site.settings,
    originSecret: newSecret(),
    createdAt: now,
    updatedAt: now,
  };
}

/** Creates a site with its host names and a fresh origin secret, and publishes its snapshot. */
export async function createSite(store: ProvisionStore, input: NewSite): Promise<SiteSnapshot> {
  const site = SiteConfig.parse({ ...input, nodes: [] });
  const [existing] = await store.db.select().from(sites).where(eq(sites.id, site.id));
  if (existing) throw new ProvisionError(`site ${site.id} already exists`);
  const [removing] = await store.db
    .select()
    .from(siteRemovals)
    .where(eq(siteRemovals.siteId, site.id));
  if (removing)
    throw new ProvisionError(
      `site ${site.id} was removed moments ago and the edge is still emptying its state (within a minute while the router runs); add it again then`,
    );
  await assertHostsFree(store.db, site.hosts, site.id);
  const now = new Date();
  await runBatch(store.db, [
    store.db.insert(sites).values(newSiteRow(site, now)),
    store.db.insert(siteHosts).values(site.hosts.map((host) => ({ host, siteId: site.id }))),
  ]);
  const snapshots = await readSites(store.db, [site.id]);
  await publishSnapshots(store, snapshots);
  return snapshots[0] as SiteSnapshot;
}

/** The site with this id, or a refusal that says how to list the sites. */
export async function requireSite(db: DrizzleD1Database, siteId: string): Promise<SiteSnapshot> {
  const [site] = await readSites(db, [siteId]);
  if (!site)
    throw new ProvisionError(`there is no site ${siteId}; list them with: npx wp-edge sites list`);
  return site;
}

/** The statements that delete every D1 row of a site: its comments, log, Akismet verdicts to resend, catalog, nodes and hosts. */
function siteRows(db: DrizzleD1Database, siteId: string): BatchItem<'sqlite'>[] {
  const tables = [
    comments,
    commentLog,
    akismetOutbox,
    logRetention,
    catalogPosts,
    catalogComments,
    catalogSites,
    nodeCursors,
    nodeAlerts,
    edgeFigures,
    statusTokens,
    siteHosts,
  ];
  return [
    ...tables.map((table) => db.delete(table).where(eq(table.siteId, siteId))),
    db.delete(sites).where(eq(sites.id, siteId)),
  ];
}

/**
 * Removes a site and everything D1, KV and R2 hold of it: comments, comment log, catalog,
 * node cursors and alerts, nodes with their keys, nonces and comment locations, hosts, the
 * published snapshots, the image manifest and the image files, the content sync's generations
 * and blobs; and its Durable Objects' state: given `store.siteState`, first, so a failure
 * leaves the site in D1 to remove again; otherwise (the CLI) the site is marked in
 * `site_removals` and the router's next cron empties them.
 */
export async function removeSite(store: ProvisionStore, siteId: string): Promise<void> {
  const site = await requireSite(store.db, siteId);
  if (store.siteState) {
    const left = (await store.siteState.wipe(siteId)).filter((rows) =>
      Object.values(rows).some((count) => count > 0),
    );
    if (left.length > 0)
      throw new ProvisionError(
        `site ${siteId}'s Durable Objects still hold ${JSON.stringify(left)}`,
      );
  }
  const nodeIds = site.nodes.map((node) => node.id);
  const removal = store.siteState
    ? []
    : [
        store.db
          .insert(siteRemovals)
          .values({ siteId, removedAt: Date.now() })
          .onConflictDoNothing(),
      ];
  await runBatch(store.db, [
    ...forgetNodes(store.db, nodeIds),
    ...siteRows(store.db, siteId),
    ...removal,
  ]);
  await publishSnapshots(store, [], site.hosts);
  await store.kv.delete(imageManifestKey(siteId));
  if (store.images) await removeObjects(store.images, `${siteId}/`);
  if (store.sync) await removeObjects(store.sync, syncSitePrefix(siteId));
}

async function removeObjects(bucket: NonNullable<ProvisionStore['images']>, prefix: string) {
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, ...(cursor ? { cursor } : {}) });
    if (page.objects.length > 0) await bucket.delete(page.objects.map((object) => object.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

/** Replaces a site's settings (checked against its nodes, e.g. the standby) and republishes it. */
export async function updateSettings(
  store: ProvisionStore,
  siteId: string,
  settings: unknown,
): Promise<SiteSnapshot> {
  const current = await requireSite(store.db, siteId);
  const site = SiteConfig.parse({ ...current, settings });
  await store.db
    .update(sites)
    .set({ settings: site.settings, updatedAt: new Date() })
    .where(eq(sites.id, siteId));
  const snapshots = await readSites(store.db, [siteId]);
  await publishSnapshots(store, snapshots);
  return snapshots[0] as SiteSnapshot;
}
