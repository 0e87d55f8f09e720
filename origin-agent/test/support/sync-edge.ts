import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AgentConfig, createLogger } from '@wp-edge/core';
import type { RunningWorkers } from '@wp-edge/workerd-kit';
import { PRIMARY_KEY, SECONDARY_KEY } from './edge.ts';
import type { TestWordPress } from './wordpress.ts';

export const quietLogger = createLogger({ service: 'test' }, { level: 'error' });

/** A node's agent config with content sync on, its wp-content a fresh temporary folder. */
export async function syncAgentConfig(
  edge: RunningWorkers,
  node: 'agent-a' | 'agent-b',
  wordpress: Pick<TestWordPress, 'database'>,
  keepOptions: string[] = [],
): Promise<
  AgentConfig & {
    sync: {
      contentDir: string;
      keptDir: string;
      cacheDir: string;
      keepOptions: string[];
      pollSeconds: number;
    };
  }
> {
  const contentDir = await mkdtemp(path.join(tmpdir(), `wp-edge-content-${node}-`));
  const keptDir = await mkdtemp(path.join(tmpdir(), `wp-edge-kept-${node}-`));
  const cacheDir = await mkdtemp(path.join(tmpdir(), `wp-edge-chunks-${node}-`));
  return {
    edgeUrl: edge.url.href,
    siteId: 'agent',
    nodeId: node,
    ...(node === 'agent-a' ? PRIMARY_KEY : SECONDARY_KEY),
    database: wordpress.database,
    views: { metaKey: 'views', intervalSeconds: 300, batchSize: 100 },
    metrics: { host: '127.0.0.1', port: 0 },
    sync: { contentDir, keptDir, cacheDir, keepOptions, pollSeconds: 1 },
  };
}
