import { env } from 'cloudflare:workers';
import type { SiteSnapshot } from '@wp-edge/core';
import {
  addNode,
  bindingStore,
  createSite,
  removeNode,
  requireSite,
  updateSettings,
} from '@wp-edge/core/provision';

export type Node = SiteSnapshot['nodes'][number];

/** The test Worker's D1 and KV, where sites are provisioned as the CLI provisions them. */
export const store = bindingStore(env.DB, env.SITE_CONFIG);

/**
 * Provisions the site `<id>.example` through core's provisioning functions: these nodes
 * (node ids are unique across sites), then these settings; returns its published snapshot.
 * A site a table-driven test provisioned already is returned as it is.
 */
export async function provisionSite(
  id: string,
  nodes: Node[],
  settings: unknown = {},
): Promise<SiteSnapshot> {
  const existing = await requireSite(store.db, id).catch(() => undefined);
  if (existing) return existing;
  await createSite(store, { id, hosts: [`${id}.example`] });
  for (const node of nodes) await addNode(store, id, node);
  return updateSettings(store, id, settings);
}

/** Gives a provisioned site these nodes instead of the ones it has, as `nodes remove` and `nodes add` would. */
export async function replaceNodes(id: string, nodes: Node[]): Promise<SiteSnapshot> {
  const current = await requireSite(store.db, id);
  for (const node of current.nodes) await removeNode(store, node.id);
  for (const node of nodes) await addNode(store, id, node);
  return requireSite(store.db, id);
}
