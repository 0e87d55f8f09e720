import { AgentConfig } from '@wp-edge/core';
import { currentNodeKey, readSites, requireNode, requireSite } from '@wp-edge/core/provision';
import type { CliStore } from './bindings.ts';
import { CliError } from './errors.ts';

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
  store: CliStore,
  nodeId: string,
  options: AgentConfigOptions,
  edge: { remote: boolean; localUrl: string },
): Promise<AgentConfig> {
  const node = await requireNode(store.db, nodeId);
  const key = await currentNodeKey(store.db, nodeId);
  if (!key)
    throw new CliError(
      `node ${nodeId} has no current key; make one with: npx wp-edge nodes rotate-secret ${nodeId}`,
    );
  const [host] = (await requireSite(store.db, node.siteId)).hosts;
  const defaultEdge = edge.remote ? `https://${host}` : edge.localUrl;
  return AgentConfig.parse({
    edgeUrl: options.edgeUrl ?? defaultEdge,
    siteId: node.siteId,
    nodeId,
    ...key,
    ...(options.wordpressUrl ? { wordpressUrl: options.wordpressUrl } : {}),
    database: options.database,
  });
}

/** The nodes of one site, or of every site, each with its site's id. */
export async function listNodes(store: CliStore, siteId: string | undefined) {
  const sites = await readSites(store.db, siteId ? [siteId] : 'all');
  if (siteId && sites.length === 0) throw new CliError(`there is no site ${siteId}`);
  return sites.flatMap((site) => site.nodes.map((node) => ({ site: site.id, ...node })));
}
