import { newSecret, SiteConfig, type SiteSnapshot } from '@wp-edge/core';
import { z } from 'zod';
import { CliError } from './errors.ts';
import { publishSnapshots, readSitesSql, snapshotsFrom } from './snapshots.ts';
import { sql } from './sql.ts';
import { executeSql, type Target } from './wrangler.ts';

export interface NewSite {
  id: string;
  name?: string;
  hosts: string[];
  settings?: unknown;
}

const Owner = z.object({ host: z.string(), site_id: z.string() });

/** Refuses hosts that already belong to a site other than `siteId`. */
export function assertHostsFree(rows: Record<string, unknown>[], siteId: string): void {
  const taken = z
    .array(Owner)
    .parse(rows)
    .filter((row) => row.site_id !== siteId);
  if (taken.length > 0) {
    const list = taken.map((row) => `${row.host} (site ${row.site_id})`).join(', ');
    throw new CliError(`host already served by another site: ${list}`);
  }
}

/** Creates a site with its host names and publishes its snapshot. */
export async function addSite(input: NewSite, target: Target): Promise<SiteSnapshot> {
  const site = SiteConfig.parse({ ...input, nodes: [] });
  const [existing, owners] = await executeSql(
    [
      sql`SELECT id FROM sites WHERE id = ${site.id}`,
      sql`SELECT host, site_id FROM site_hosts WHERE host IN (${site.hosts})`,
    ],
    target,
  );
  if (existing?.results.length) throw new CliError(`site ${site.id} already exists`);
  assertHostsFree(owners?.results ?? [], site.id);
  const now = Date.now();
  const results = await executeSql(
    [
      sql`INSERT INTO sites (id, name, settings, origin_secret, created_at, updated_at) VALUES (${site.id}, ${site.name ?? null}, ${JSON.stringify(site.settings)}, ${newSecret()}, ${now}, ${now})`,
      ...site.hosts.map(
        (host) => sql`INSERT INTO site_hosts (host, site_id) VALUES (${host}, ${site.id})`,
      ),
      ...readSitesSql([site.id]),
    ],
    target,
  );
  const snapshots = snapshotsFrom(results);
  await publishSnapshots(snapshots, target);
  return snapshots[0] as SiteSnapshot;
}

/** Every site with its hosts and nodes, as published. */
export async function listSites(target: Target): Promise<SiteSnapshot[]> {
  return snapshotsFrom(await executeSql(readSitesSql('all'), target));
}

/** Removes a site, its hosts, nodes and keys, and withdraws its snapshots. */
export async function removeSite(siteId: string, target: Target): Promise<void> {
  const [site] = snapshotsFrom(await executeSql(readSitesSql([siteId]), target));
  if (!site)
    throw new CliError(`there is no site ${siteId}; list them with: npx wp-edge sites list`);
  await executeSql(
    [
      sql`DELETE FROM node_keys WHERE node_id IN (SELECT id FROM nodes WHERE site_id = ${siteId})`,
      sql`DELETE FROM nodes WHERE site_id = ${siteId}`,
      sql`DELETE FROM site_hosts WHERE site_id = ${siteId}`,
      sql`DELETE FROM sites WHERE id = ${siteId}`,
    ],
    target,
  );
  await publishSnapshots([], target, site.hosts);
}

/** Publishes the snapshots of one site, or of every site, from D1 again. */
export async function republish(
  siteId: string | undefined,
  target: Target,
): Promise<SiteSnapshot[]> {
  const snapshots = snapshotsFrom(
    await executeSql(readSitesSql(siteId ? [siteId] : 'all'), target),
  );
  if (siteId && snapshots.length === 0) throw new CliError(`there is no site ${siteId}`);
  await publishSnapshots(snapshots, target);
  return snapshots;
}
