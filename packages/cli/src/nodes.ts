import { AgentConfig, NodeConfig, newId, newSecret, type SiteSnapshot } from '@wp-edge/core';
import { z } from 'zod';
import { CliError } from './errors.ts';
import { localEdgeUrl } from './local-edge.ts';
import { publishSnapshots, readSitesSql, snapshotsFrom } from './snapshots.ts';
import { sql } from './sql.ts';
import { executeSql, type Target } from './wrangler.ts';

const NodeSite = z.object({ id: z.string(), site_id: z.string(), role: z.string() });
const KeyRow = z.object({ id: z.string(), secret: z.string() });

async function findNode(nodeId: string, target: Target) {
  const [found] = await executeSql(
    [sql`SELECT id, site_id, role FROM nodes WHERE id = ${nodeId}`],
    target,
  );
  const row = z.array(NodeSite).parse(found?.results ?? [])[0];
  if (!row)
    throw new CliError(`there is no node ${nodeId}; list them with: npx wp-edge nodes list`);
  return row;
}

/** The statement that gives a node a fresh signing key (with `unlessKeyed`, only if it has no current one). */
export function insertKeySql(nodeId: string, nowMs: number, unlessKeyed = false): string {
  const insert = sql`INSERT INTO node_keys (id, node_id, secret, created_at) SELECT ${newId(nowMs)}, ${nodeId}, ${newSecret()}, ${nowMs}`;
  if (!unlessKeyed) return insert;
  return `${insert} ${sql`WHERE NOT EXISTS (SELECT 1 FROM node_keys WHERE node_id = ${nodeId} AND expires_at IS NULL)`}`;
}

/** Adds a node to a site with a fresh signing key and republishes the site. */
export async function addNode(
  siteId: string,
  input: unknown,
  target: Target,
): Promise<SiteSnapshot> {
  const node = NodeConfig.parse(input);
  const [site, taken] = await executeSql(
    [
      sql`SELECT id FROM sites WHERE id = ${siteId}`,
      sql`SELECT id, site_id, role FROM nodes WHERE id = ${node.id} OR (site_id = ${siteId} AND role = 'primary')`,
    ],
    target,
  );
  if (!site?.results.length)
    throw new CliError(`there is no site ${siteId}; add it first with: npx wp-edge sites add`);
  for (const row of z.array(NodeSite).parse(taken?.results ?? [])) {
    if (row.id === node.id)
      throw new CliError(`node ${node.id} already exists (site ${row.site_id})`);
    if (node.role === 'primary') {
      throw new CliError(
        `site ${siteId} already has primary node ${row.id}; add this one as --role secondary or remove ${row.id} first`,
      );
    }
  }
  const now = Date.now();
  const results = await executeSql(
    [
      sql`INSERT INTO nodes (id, site_id, origin_url, role, weight, created_at) VALUES (${node.id}, ${siteId}, ${node.originUrl}, ${node.role}, ${node.weight}, ${now})`,
      insertKeySql(node.id, now),
      ...readSitesSql([siteId]),
    ],
    target,
  );
  const snapshots = snapshotsFrom(results);
  await publishSnapshots(snapshots, target);
  return snapshots[0] as SiteSnapshot;
}

/** The nodes of one site, or of every site. */
export async function listNodes(siteId: string | undefined, target: Target) {
  const sites = snapshotsFrom(await executeSql(readSitesSql(siteId ? [siteId] : 'all'), target));
  if (siteId && sites.length === 0) throw new CliError(`there is no site ${siteId}`);
  return sites.flatMap((site) => site.nodes.map((node) => ({ site: site.id, ...node })));
}

/** Removes a node and its keys and republishes its site. */
export async function removeNode(nodeId: string, target: Target): Promise<void> {
  const node = await findNode(nodeId, target);
  const results = await executeSql(
    [
      sql`DELETE FROM node_keys WHERE node_id = ${nodeId}`,
      sql`DELETE FROM nodes WHERE id = ${nodeId}`,
      ...readSitesSql([node.site_id]),
    ],
    target,
  );
  await publishSnapshots(snapshotsFrom(results), target);
}

/**
 * Gives a node a new signing key. Its current keys keep working for `graceHours`, so the
 * agent can be given the new config before the old one stops being accepted.
 */
export async function rotateSecret(
  nodeId: string,
  graceHours: number,
  target: Target,
): Promise<void> {
  await findNode(nodeId, target);
  const now = Date.now();
  const until = now + graceHours * 3_600_000;
  await executeSql(
    [
      sql`UPDATE node_keys SET expires_at = ${until} WHERE node_id = ${nodeId} AND (expires_at IS NULL OR expires_at > ${until})`,
      insertKeySql(nodeId, now + 1),
    ],
    target,
  );
}

export interface AgentConfigOptions {
  edgeUrl?: string;
  /** The node's own WordPress address, which heartbeats check. */
  wordpressUrl?: string;
  database: {
    host?: string;
    port?: number;
    user: string;
    password?: string;
    name: string;
    tablePrefix?: string;
  };
}

/** The origin agent's config for a node, with its newest signing key. */
export async function agentConfig(
  nodeId: string,
  options: AgentConfigOptions,
  target: Target,
): Promise<AgentConfig> {
  const node = await findNode(nodeId, target);
  const [keys, hosts] = await executeSql(
    [
      sql`SELECT id, secret FROM node_keys WHERE node_id = ${nodeId} AND expires_at IS NULL ORDER BY id DESC LIMIT 1`,
      sql`SELECT host FROM site_hosts WHERE site_id = ${node.site_id} ORDER BY host LIMIT 1`,
    ],
    target,
  );
  const key = z.array(KeyRow).parse(keys?.results ?? [])[0];
  if (!key)
    throw new CliError(
      `node ${nodeId} has no current key; make one with: npx wp-edge nodes rotate-secret ${nodeId}`,
    );
  const host = (hosts?.results[0] as { host?: string } | undefined)?.host;
  const defaultEdge = target.remote ? `https://${host}` : localEdgeUrl();
  return AgentConfig.parse({
    edgeUrl: options.edgeUrl ?? defaultEdge,
    siteId: node.site_id,
    nodeId,
    keyId: key.id,
    secret: key.secret,
    ...(options.wordpressUrl ? { wordpressUrl: options.wordpressUrl } : {}),
    database: options.database,
  });
}
