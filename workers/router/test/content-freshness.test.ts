import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { registry, heartbeat as signedHeartbeat, signedSite } from './heartbeats.ts';

/** A site whose primary `a` and secondary `b` both answer, staleness bound 60 s. */
async function site(id: string): Promise<string> {
  const { host } = await signedSite(id, { sync: { maxStalenessSeconds: 60 } });
  return `https://${host}`;
}

/** A signed heartbeat saying which content generation the node serves. */
async function heartbeat(base: string, nodeId: string, contentGeneration: string) {
  await signedHeartbeat(new URL(base).host, nodeId, { contentGeneration });
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
    const base = await site('lagging');
    await heartbeat(base, 'lagging-a', '20261201T101000000Z-lagging-a');
    await heartbeat(base, 'lagging-b', '20261201T100000000Z-lagging-a');
    await expect.poll(() => readers(base), { timeout: 15_000, interval: 500 }).toEqual(['a']);
    await heartbeat(base, 'lagging-b', '20261201T101000000Z-lagging-a');
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
