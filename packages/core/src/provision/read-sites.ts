import { inArray, type SQL } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { SiteSettings } from '../config/site.ts';
import type { SiteSnapshot } from '../config/snapshot.ts';
import { nodes, siteHosts, sites } from '../db/schema.ts';

function only(column: SQLiteColumn, ids: string[] | 'all'): SQL | undefined {
  return ids === 'all' ? undefined : inArray(column, ids);
}

/** The snapshots of the given sites (or of every site) as D1 holds them, in id order. */
export async function readSites(
  db: DrizzleD1Database,
  siteIds: string[] | 'all',
): Promise<SiteSnapshot[]> {
  const [siteRows, hostRows, nodeRows] = await db.batch([
    db.select().from(sites).where(only(sites.id, siteIds)).orderBy(sites.id),
    db.select().from(siteHosts).where(only(siteHosts.siteId, siteIds)).orderBy(siteHosts.host),
    db.select().from(nodes).where(only(nodes.siteId, siteIds)).orderBy(nodes.id),
  ]);
  const publishedAt = new Date().toISOString();
  return siteRows.map((site) => ({
    id: site.id,
    ...(site.name ? { name: site.name } : {}),
    ...(site.originSecret ? { originSecret: site.originSecret } : {}),
    hosts: hostRows.filter((row) => row.siteId === site.id).map((row) => row.host),
    settings: SiteSettings.parse(site.settings),
    nodes: nodeRows
      .filter((row) => row.siteId === site.id)
      .map((row) => ({ id: row.id, originUrl: row.originUrl, role: row.role, weight: row.weight })),
    publishedAt,
  }));
}
