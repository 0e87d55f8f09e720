import { env, exports } from 'cloudflare:workers';
import { type Heartbeat, type NodeHealth, type SiteSnapshot, signRequest } from '@wp-edge/core';
import { addNode, bindingStore, createSite, updateSettings } from '@wp-edge/core/provision';
import { expect, inject } from 'vitest';

type Node = SiteSnapshot['nodes'][number];

/** The signing key a test gives a node. */
export const KEY = (node: string) => ({
  keyId: `${node}-key`,
  secret: `${node}-secret`.padEnd(64, 'x'),
});

const store = bindingStore(env.DB, env.SITE_CONFIG);

/** A site `<id>.example` with a primary `<id>-a` and a secondary `<id>-b`, provisioned as the CLI does. */
export async function signedSite(
  id: string,
  settings: unknown = {},
): Promise<{ host: string; a: Node; b: Node }> {
  const a: Node = { id: `${id}-a`, originUrl: inject('originUrl'), role: 'primary', weight: 100 };
  const b: Node = {
    id: `${id}-b`,
    originUrl: inject('secondOriginUrl'),
    role: 'secondary',
    weight: 100,
  };
  const host = `${id}.example`;
  await createSite(store, { id, hosts: [host] });
  for (const node of [a, b]) await addNode(store, id, node, { key: KEY(node.id) });
  await updateSettings(store, id, settings);
  return { host, a, b };
}

/** A signed heartbeat through the router, as a node's agent sends it. */
export async function heartbeat(
  host: string,
  nodeId: string,
  report: Partial<Heartbeat> & { databaseOk?: boolean } = {},
): Promise<NodeHealth> {
  const { databaseOk = true, ...rest } = report;
  const url = `https://${host}/agent/heartbeat`;
  const body = JSON.stringify({
    checks: {
      database: { ok: databaseOk, ...(databaseOk ? {} : { detail: 'connection refused' }) },
    },
    ...rest,
  });
  const headers = await signRequest({ method: 'POST', url, body, ...KEY(nodeId) });
  const response = await exports.default.fetch(url, {
    method: 'POST',
    body,
    headers: { ...headers, 'content-type': 'application/json' },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as NodeHealth;
}

/** A site's NodeRegistry. */
export const registry = (siteId: string) =>
  env.NODE_REGISTRY.get(env.NODE_REGISTRY.idFromName(siteId));
