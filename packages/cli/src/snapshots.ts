import { SiteSettings, type SiteSnapshot, snapshotKey } from '@wp-edge/core';
import { z } from 'zod';
import { sql } from './sql.ts';
import { type D1Result, deleteKv, putKv, type Target } from './wrangler.ts';

const SiteRow = z.object({
  id: z.string(),
  name: z.string().nullable(),
  settings: z.string(),
  origin_secret: z.string().nullable(),
});
const HostRow = z.object({ host: z.string(), site_id: z.string() });
const NodeRow = z.object({
  id: z.string(),
  site_id: z.string(),
  origin_url: z.string(),
  role: z.enum(['primary', 'secondary']),
  weight: z.number(),
});

/** The three statements whose rows `snapshotsFrom` turns into site snapshots. */
export function readSitesSql(siteIds: string[] | 'all'): string[] {
  if (siteIds === 'all') {
    return [
      'SELECT id, name, settings, origin_secret FROM sites ORDER BY id',
      'SELECT host, site_id FROM site_hosts ORDER BY host',
      'SELECT id, site_id, origin_url, role, weight FROM nodes ORDER BY id',
    ];
  }
  return [
    sql`SELECT id, name, settings, origin_secret FROM sites WHERE id IN (${siteIds}) ORDER BY id`,
    sql`SELECT host, site_id FROM site_hosts WHERE site_id IN (${siteIds}) ORDER BY host`,
    sql`SELECT id, site_id, origin_url, role, weight FROM nodes WHERE site_id IN (${siteIds}) ORDER BY id`,
  ];
}

/** Site snapshots from the results of `readSitesSql`, given as the last three results. */
export function snapshotsFrom(results: D1Result[]): SiteSnapshot[] {
  const [sites, hosts, nodes] = results.slice(-3).map((result) => result.results);
  const hostRows = z.array(HostRow).parse(hosts);
  const nodeRows = z.array(NodeRow).parse(nodes);
  const publishedAt = new Date().toISOString();
  return z
    .array(SiteRow)
    .parse(sites)
    .map((site) => ({
      id: site.id,
      ...(site.name ? { name: site.name } : {}),
      ...(site.origin_secret ? { originSecret: site.origin_secret } : {}),
      hosts: hostRows.filter((row) => row.site_id === site.id).map((row) => row.host),
      settings: SiteSettings.parse(JSON.parse(site.settings)),
      nodes: nodeRows
        .filter((row) => row.site_id === site.id)
        .map((row) => ({
          id: row.id,
          originUrl: row.origin_url,
          role: row.role,
          weight: row.weight,
        })),
      publishedAt,
    }));
}

/** Publishes each site's snapshot under each of its hosts, and removes hosts no longer served. */
export async function publishSnapshots(
  snapshots: SiteSnapshot[],
  target: Target,
  goneHosts: string[] = [],
): Promise<void> {
  const entries = snapshots.flatMap((site) =>
    site.hosts.map((host) => ({ key: snapshotKey(host), value: JSON.stringify(site) })),
  );
  const served = new Set(snapshots.flatMap((site) => site.hosts));
  await putKv(entries, target);
  await deleteKv(goneHosts.filter((host) => !served.has(host)).map(snapshotKey), target);
}
