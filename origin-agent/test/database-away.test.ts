import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCursor } from '../src/comments/agent-tables.ts';
import { connectWordPress } from '../src/db/wordpress-db.ts';
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
    mkdtemp(path.join(tmpdir(), 'agent-db-away-')),
  ]);
  await seedComments(edge, 25);
});

afterAll(async () => {
  await wordpress?.drop();
  await edge?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A TCP relay to MariaDB that can be started late on a port chosen now, as a database coming up. */
async function lateDatabase(): Promise<{ port: number; start(): Promise<Server> }> {
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.once('listening', resolve));
  const address = probe.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => probe.close(resolve));
  const start = async () => {
    const relay = createServer((client) => {
      const server = connect(wordpress.database.port, wordpress.database.host);
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

describe('wp-edge-agent run with the database away at start', () => {
  it('keeps running, and applies the comments once the database answers', async () => {
    const database = await lateDatabase();
    const configFile = await writeAgentConfig(dir, edge.url.href, {
      database: { ...wordpress.database, port: database.port },
    });
    const agent = startAgent(configFile, 'run');
    let relay: Server | undefined;
    const db = connectWordPress(wordpress.database);
    try {
      await expect
        .poll(agent.errors, { timeout: 15_000, interval: 100 })
        .toContain('comment sync failed; trying again');
      expect(agent.child.exitCode).toBeNull();
      relay = await database.start();
      await expect.poll(() => readCursor(db), { timeout: 30_000, interval: 100 }).toBe(25);
    } finally {
      agent.child.kill('SIGTERM');
      expect(await agent.exited).toBe(0);
      relay?.close();
      await db.close();
    }
  });
});
