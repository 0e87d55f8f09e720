import { readFile } from 'node:fs/promises';
import { newSecret, SeedConfig, type SiteSnapshot } from '@wp-edge/core';
import { z } from 'zod';
import { CliError } from './errors.ts';
import { insertKeySql } from './nodes.ts';
import { assertHostsFree } from './sites.ts';
import { publishSnapshots, readSitesSql, snapshotsFrom } from './snapshots.ts';
import { sql } from './sql.ts';
import { executeSql, type Target } from './wrangler.ts';

const NodeOwner = z.object({ id: z.string(), site_id: z.string() });

/** Reads and validates a seed file, naming the file in every error. */
export async function readSeed(file: string): Promise<SeedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CliError(`cannot read seed file ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return SeedConfig.parse(json);
}

function siteSql(site: SeedConfig['sites'][number], now: number): string[] {
  const nodeIds = site.nodes.map((node) => node.id);
  return [
    sql`INSERT INTO sites (id, name, settings, origin_secret, created_at, updated_at) VALUES (${site.id}, ${site.name ?? null}, ${JSON.stringify(site.settings)}, ${newSecret()}, ${now}, ${now}) ON CONFLICT (id) DO UPDATE SET name = excluded.name, settings = excluded.settings, origin_secret = COALESCE(sites.origin_secret, excluded.origin_secret), updated_at = excluded.updated_at`,
    sql`DELETE FROM site_hosts WHERE site_id = ${site.id}`,
    ...site.hosts.map(
      (host) => sql`INSERT INTO site_hosts (host, site_id) VALUES (${host}, ${site.id})`,
    ),
    sql`DELETE FROM node_keys WHERE node_id IN (SELECT id FROM nodes WHERE site_id = ${site.id} AND id NOT IN (${[...nodeIds, '']}))`,
    sql`DELETE FROM nodes WHERE site_id = ${site.id} AND id NOT IN (${[...nodeIds, '']})`,
    sql`UPDATE nodes SET role = 'secondary' WHERE site_id = ${site.id}`,
    ...site.nodes.flatMap((node) => [
      sql`INSERT INTO nodes (id, site_id, origin_url, role, weight, created_at) VALUES (${node.id}, ${site.id}, ${node.originUrl}, ${node.role}, ${node.weight}, ${now}) ON CONFLICT (id) DO UPDATE SET origin_url = excluded.origin_url, role = excluded.role, weight = excluded.weight`,
      insertKeySql(node.id, now, true),
    ]),
  ];
}

/**
 * Makes D1 match the seed for every site it lists (hosts and nodes not in the file are
 * removed from those sites), gives new nodes a key, and publishes the snapshots.
 */
export async function applySeed(seed: SeedConfig, target: Target): Promise<SiteSnapshot[]> {
  const siteIds = seed.sites.map((site) => site.id);
  const hosts = seed.sites.flatMap((site) => site.hosts);
  const nodeIds = seed.sites.flatMap((site) => site.nodes.map((node) => node.id));
  const [owners, nodeOwners, before] = await executeSql(
    [
      sql`SELECT host, site_id FROM site_hosts WHERE host IN (${hosts})`,
      sql`SELECT id, site_id FROM nodes WHERE id IN (${[...nodeIds, '']})`,
      sql`SELECT host FROM site_hosts WHERE site_id IN (${siteIds})`,
    ],
    target,
  );
  for (const site of seed.sites) {
    assertHostsFree(
      (owners?.results ?? []).filter((row) => site.hosts.includes(String(row.host))),
      site.id,
    );
  }
  for (const row of z.array(NodeOwner).parse(nodeOwners?.results ?? [])) {
    const wanted = seed.sites.find((site) => site.nodes.some((node) => node.id === row.id));
    if (wanted && wanted.id !== row.site_id) {
      throw new CliError(`node ${row.id} already belongs to site ${row.site_id}, not ${wanted.id}`);
    }
  }
  const now = Date.now();
  const results = await executeSql(
    [...seed.sites.flatMap((site) => siteSql(site, now)), ...readSitesSql(siteIds)],
    target,
  );
  const snapshots = snapshotsFrom(results);
  const previousHosts = (before?.results ?? []).map((row) => String(row.host));
  await publishSnapshots(snapshots, target, previousHosts);
  return snapshots;
}
