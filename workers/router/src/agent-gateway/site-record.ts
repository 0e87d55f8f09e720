import { SiteSettings, type SiteSnapshot, TtlCache } from '@wp-edge/core';
import { nodes, siteHosts, sites } from '@wp-edge/core/db';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';

/** What the gateway needs of a caller's site: its host names, settings and nodes. */
export interface SiteRecord {
  hosts: string[];
  settings: SiteSettings;
  nodes: SiteSnapshot['nodes'];
}

// Owned by `siteRecord`: a site's record, kept briefly so heartbeats and acknowledgements do
// not read D1 each time; a settings change reaches the gateway within seconds.
const records = new TtlCache<SiteRecord>(5_000, 1_000);

/** The site's hosts, settings and nodes, from D1 at most every few seconds per isolate. */
export async function siteRecord(db: D1Database, siteId: string): Promise<SiteRecord> {
  const nowMs = Date.now();
  const cached = records.get(siteId, nowMs);
  if (cached) return cached.value;
  const orm = drizzle(db);
  const [rows, hosts, nodeRows] = await orm.batch([
    orm.select({ settings: sites.settings }).from(sites).where(eq(sites.id, siteId)),
    orm.select({ host: siteHosts.host }).from(siteHosts).where(eq(siteHosts.siteId, siteId)),
    orm
      .select({ id: nodes.id, originUrl: nodes.originUrl, role: nodes.role, weight: nodes.weight })
      .from(nodes)
      .where(eq(nodes.siteId, siteId)),
  ]);
  const record = {
    hosts: hosts.map((row) => row.host),
    settings: SiteSettings.parse(rows[0]?.settings ?? {}),
    nodes: nodeRows,
  };
  records.set(siteId, record, nowMs);
  return record;
}
