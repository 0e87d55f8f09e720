import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCursor } from '../src/comments/agent-tables.ts';
import { connectWordPress } from '../src/db/wordpress-db.ts';
import { freePort, startAgent, writeAgentConfig } from './support/agent-process.ts';
import { PRIMARY_KEY, seedComments, startCommentsEdge } from './support/edge.ts';
import { createTestWordPress, type TestWordPress } from './support/wordpress.ts';

const COMMENTS = 30;
let edge: Awaited<ReturnType<typeof startCommentsEdge>>;
let dir: string;
const wordpresses: TestWordPress[] = [];

beforeAll(async () => {
  [edge, dir] = await Promise.all([
    startCommentsEdge(),
    mkdtemp(path.join(tmpdir(), 'agent-run-')),
  ]);
  await seedComments(edge, COMMENTS);
});

afterAll(async () => {
  for (const wordpress of wordpresses) await wordpress.drop();
  await edge?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function freshWordPress(): Promise<TestWordPress> {
  const wordpress = await createTestWordPress();
  wordpresses.push(wordpress);
  return wordpress;
}

/** A TCP relay to MariaDB that can be started late on a port chosen now, as a database coming up. */
async function lateDatabase(target: TestWordPress['database']) {
  const port = await freePort();
  const start = async (): Promise<Server> => {
    const relay = createServer((client) => {
      const server = connect(target.port, target.host);
      client.pipe(server).pipe(client);
      client.on('error', () => server.destroy());
      server.on('error', () => client.destroy());
    });
    relay.listen(port, '127.0.0.1');
    await new Promise((resolve) => relay.once('listening', resolve));
    return relay;
  };
  return { port, start };
}

describe('wp-edge-agent run', () => {
  it('counts applied comments and task passes on localhost for Prometheus', async () => {
    const wordpress = await freshWordPress();
    const port = await freePort();
    const configFile = await writeAgentConfig(
      await mkdtemp(path.join(dir, 'metrics-')),
      edge.url.href,
      wordpress,
      { metrics: { port } },
    );
    const agent = startAgent(configFile, 'run');
    try {
      const scrape = async () => {
        const response = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined);
        return response?.ok ? await response.text() : '';
      };
      await expect
        .poll(scrape, { timeout: 30_000, interval: 100 })
        .toContain(`wp_edge_agent_comment_events_applied_total ${COMMENTS}`);
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

  it('serves no metrics when the metrics port is 0', async () => {
    const wordpress = await freshWordPress();
    const configFile = await writeAgentConfig(
      await mkdtemp(path.join(dir, 'no-metrics-')),
      edge.url.href,
      wordpress,
      { metrics: { port: 0 } },
    );
    const agent = startAgent(configFile, 'run');
    const db = connectWordPress(wordpress.database);
    try {
      await expect.poll(() => readCursor(db), { timeout: 30_000, interval: 100 }).toBe(COMMENTS);
      expect(agent.output()).not.toContain('metrics served');
    } finally {
      agent.child.kill('SIGTERM');
      expect(await agent.exited).toBe(0);
      await db.close();
    }
  });

  it('keeps running with the database away at start, and applies the comments once it answers', async () => {
    const wordpress = await freshWordPress();
    const database = await lateDatabase(wordpress.database);
    const configFile = await writeAgentConfig(
      await mkdtemp(path.join(dir, 'db-away-')),
      edge.url.href,
      { database: { ...wordpress.database, port: database.port } },
    );
    const agent = startAgent(configFile, 'run');
    let relay: Server | undefined;
    const db = connectWordPress(wordpress.database);
    try {
      await expect
        .poll(agent.errors, { timeout: 15_000, interval: 100 })
        .toContain('comment sync failed; trying again');
      expect(agent.child.exitCode).toBeNull();
      relay = await database.start();
      await expect.poll(() => readCursor(db), { timeout: 30_000, interval: 100 }).toBe(COMMENTS);
    } finally {
      agent.child.kill('SIGTERM');
      expect(await agent.exited).toBe(0);
      relay?.close();
      await db.close();
    }
  });
});

describe('wp-edge-agent publish-catalog', () => {
  it('publishes the primary’s posts once, so the edge takes comments on them, and exits 0', async () => {
    const wordpress = await createTestWordPress({ posts: 1 });
    wordpresses.push(wordpress);
    const post = String(wordpress.postIds[0]);
    expect((await edge.postComment({ comment_post_ID: post })).status).toBe(404);
    const configFile = await writeAgentConfig(
      await mkdtemp(path.join(dir, 'catalog-')),
      edge.url.href,
      wordpress,
      { nodeId: 'agent-a', ...PRIMARY_KEY },
    );
    const agent = startAgent(configFile, 'publish-catalog');
    expect(await agent.exited).toBe(0);
    expect((await edge.postComment({ comment_post_ID: post })).status).toBe(302);
  });

  it('says the edge takes the catalog from the primary only when run on a secondary', async () => {
    const wordpress = await freshWordPress();
    const configFile = await writeAgentConfig(
      await mkdtemp(path.join(dir, 'catalog-secondary-')),
      edge.url.href,
      wordpress,
    );
    const agent = startAgent(configFile, 'publish-catalog');
    expect(await agent.exited).toBe(0);
    expect(agent.errors()).toContain('the edge takes the catalog from the primary node only');
  });
});
