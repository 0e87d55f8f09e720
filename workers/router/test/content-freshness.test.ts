import { env, exports } from 'cloudflare:workers';
import { signRequest } from '@wp-edge/core';
import { addNode, bindingStore, createSite, updateSettings } from '@wp-edge/core/provision';
import { describe, expect, inject, it } from 'vitest';

const KEY = (node: string) => ({ keyId: `${node}-key`, secret: `${node}-secret`.padEnd(64, 'x') });
const store = bindingStore(env.DB, env.SITE_CONFIG);
const registry = (siteId: string) => env.NODE_REGISTRY.get(env.NODE_REGISTRY.idFromName(siteId));

/** A site whose primary `a` and secondary `b` both answer, staleness bound 60 s. */
async function site(id: string): Promise<string> {
  await createSite(store, { id, hosts: [`${id}.example`] });
  await addNode(
    store,
    id,
    { id: `${id}-a`, originUrl: inject('originUrl'), role: 'primary' },
    { key: KEY(`${id}-a`) },
  );
  await addNode(
    store,
    id,
    { id: `${id}-b`, originUrl: inject('secondOriginUrl') },
    { key: KEY(`${id}-b`) },
  );
  await updateSettings(store, id, { sync: { maxStalenessSeconds: 60 } });
  return `https://${id}.example`;
}

/** A signed heartbeat saying which content generation the node serves. */
async function heartbeat(base: string, nodeId: string, contentGeneration: string) {
  const url = `${base}/agent/heartbeat`;
  const body = JSON.stringify({ checks: { database: { ok: true } }, contentGeneration });
  const headers = await signRequest({ method: 'POST', url, body, ...KEY(nodeId) });
  const response = await exports.default.fetch(url, {
    method: 'POST',
    body,
    headers: { ...headers, 'content-type': 'application/json' },
  });
  expect(response.status).toBe(200);
}

async function readers(base: string): Promise<string[]> {
  const nodes = new Set<string>();
  for (let i = 0; i < 10; i++) {
    const response = await exports.default.fetch(`${base}/read-${i}/`);
    await response.arrayBuffer();
    nodes.add(response.headers.get('x-origin') ?? '');
  }
  return [...nodes].sort();
}

describe('content freshness in routing', () => {
  it('keeps readers off a node whose content is older than the primary’s by more than sync.maxStalenessSeconds', async () => {
    const base = await site('stale');
    await heartbeat(base, 'stale-a', '20261201T101000000Z-stale-a');
    await heartbeat(base, 'stale-b', '20261201T100000000Z-stale-a');
    await expect.poll(() => readers(base), { timeout: 15_000, interval: 500 }).toEqual(['a']);
    await heartbeat(base, 'stale-b', '20261201T101000000Z-stale-a');
    await expect.poll(() => readers(base), { timeout: 15_000, interval: 500 }).toEqual(['a', 'b']);
  });

  it('still sends readers to a stale node when no fresher node is up', async () => {
    const base = await site('only-stale');
    await heartbeat(base, 'only-stale-a', '20261201T101000000Z-only-stale-a');
    await heartbeat(base, 'only-stale-b', '20261201T100000000Z-only-stale-a');
    for (let i = 0; i < 3; i++)
      await registry('only-stale').record('only-stale-a', false, 'test', 'probe', {
        rise: 3,
        fall: 3,
      });
    await expect.poll(() => readers(base), { timeout: 15_000, interval: 500 }).toEqual(['b']);
  });
});
