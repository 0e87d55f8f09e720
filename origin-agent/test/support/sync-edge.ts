import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AgentConfig, createLogger } from '@wp-edge/core';
import { addNode, bindingStore, createSite } from '@wp-edge/core/provision';
import {
  applyMigrations,
  type RunningWorkers,
  runWorkers,
  workerOptions,
} from '@wp-edge/workerd-kit';
import { PRIMARY_KEY, SECONDARY_KEY } from './edge.ts';
import type { TestWordPress } from './wordpress.ts';

export const quietLogger = createLogger({ service: 'test' }, { level: 'error' });

/**
 * The whole edge in workerd (the router in front of the comments, views, images and sync
 * Workers) with a site answering to 127.0.0.1 and its primary `agent-a` and secondary `agent-b`.
 */
export async function startSyncEdge(): Promise<RunningWorkers> {
  const workers = await Promise.all(
    (['router', 'comments', 'views', 'images', 'sync'] as const).map(workerOptions),
  );
  const edge = await runWorkers(workers);
  const d1 = await edge.miniflare.getD1Database('DB', 'wp-edge-router');
  await applyMigrations(d1);
  const store = bindingStore(
    d1,
    await edge.miniflare.getKVNamespace('SITE_CONFIG', 'wp-edge-router'),
  );
  await createSite(store, {
    id: 'agent',
    hosts: ['127.0.0.1'],
    settings: { comments: { moderation: 'auto', floodIntervalSeconds: 0, rateLimitCount: 0 } },
  });
  await addNode(
    store,
    'agent',
    { id: 'agent-a', originUrl: 'http://127.0.0.2', role: 'primary' },
    { key: PRIMARY_KEY },
  );
  await addNode(
    store,
    'agent',
    { id: 'agent-b', originUrl: 'http://127.0.0.3' },
    { key: SECONDARY_KEY },
  );
  return edge;
}

/** A node's agent config with content sync on, its wp-content a fresh temporary folder. */
export async function syncAgentConfig(
  edge: RunningWorkers,
  node: 'agent-a' | 'agent-b',
  wordpress: Pick<TestWordPress, 'database'>,
  keepOptions: string[] = [],
): Promise<
  AgentConfig & { sync: { contentDir: string; keepOptions: string[]; pollSeconds: number } }
> {
  const contentDir = await mkdtemp(path.join(tmpdir(), `wp-edge-content-${node}-`));
  return {
    edgeUrl: edge.url.href,
    siteId: 'agent',
    nodeId: node,
    ...(node === 'agent-a' ? PRIMARY_KEY : SECONDARY_KEY),
    database: wordpress.database,
    views: { metaKey: 'views', intervalSeconds: 300, batchSize: 100 },
    metrics: { host: '127.0.0.1', port: 0 },
    sync: { contentDir, keepOptions, pollSeconds: 1 },
  };
}
