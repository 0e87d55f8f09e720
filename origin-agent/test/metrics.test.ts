import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, writeAgentConfig } from './support/agent-process.ts';
import { seedComments, startCommentsEdge } from './support/edge.ts';
import { createTestWordPress, type TestWordPress } from './support/wordpress.ts';

let edge: Awaited<ReturnType<typeof startCommentsEdge>>;
let wordpress: TestWordPress;
let dir: string;

beforeAll(async () => {
  [edge, wordpress, dir] = await Promise.all([
    startCommentsEdge(),
    createTestWordPress(),
    mkdtemp(path.join(tmpdir(), 'agent-metrics-')),
  ]);
  await seedComments(edge, 40);
});

afterAll(async () => {
  await wordpress?.drop();
  await edge?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('wp-edge-agent run metrics', () => {
  it('counts applied comments and task passes on localhost for Prometheus', async () => {
    const port = await freePort();
    const configFile = await writeAgentConfig(dir, edge.url.href, wordpress, {
      metrics: { port },
    });
    const agent = startAgent(configFile, 'run');
    try {
      const scrape = async () => {
        const response = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined);
        return response?.ok ? await response.text() : '';
      };
      await expect
        .poll(scrape, { timeout: 30_000, interval: 100 })
        .toContain('wp_edge_agent_comment_events_applied_total 40');
      const text = await scrape();
      expect(text).toContain('wp_edge_agent_comment_lag_events 0');
      expect(text).toMatch(
        /wp_edge_agent_task_passes_total\{task="comment sync",outcome="ok"\} \d+/,
      );
      expect(text).toContain('wp_edge_agent_process_resident_memory_bytes');
    } finally {
      agent.child.kill('SIGTERM');
      expect(await agent.exited).toBe(0);
    }
  });
});
