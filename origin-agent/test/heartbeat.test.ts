import { AGENT_ROUTES } from '@wp-edge/core';
import type { RunningWorkers } from '@wp-edge/workerd-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWordPress, type WordPressDb } from '../src/db/wordpress-db.ts';
import { edgeClient } from '../src/edge/edge-client.ts';
import { localChecks, sendHeartbeat } from '../src/heartbeat/heartbeat.ts';
import { SECONDARY_KEY, startEdge } from './support/edge.ts';
import { createTestWordPress, type TestWordPress } from './support/wordpress.ts';

let edge: RunningWorkers;
let wordpress: TestWordPress;
let db: WordPressDb;
let brokenDb: WordPressDb;

beforeAll(async () => {
  [edge, wordpress] = await Promise.all([startEdge(['127.0.0.1']), createTestWordPress()]);
  db = connectWordPress(wordpress.database);
  brokenDb = connectWordPress({ ...wordpress.database, port: 9 });
});

afterAll(async () => {
  await db?.close();
  await brokenDb?.close();
  await wordpress?.drop();
  await edge?.dispose();
});

describe('heartbeats', () => {
  it('report the database answering, free disk and load', async () => {
    const checks = await localChecks(db, undefined);
    expect(checks.checks.database).toEqual({ ok: true });
    expect(checks.diskFreeBytes).toBeGreaterThan(0);
    expect(checks.load1).toBeGreaterThanOrEqual(0);
  });

  it('report how far behind the edge’s comment log the node is', async () => {
    expect((await localChecks(db, undefined, 7)).commentLag).toBe(7);
  });

  it('report a WordPress that does not answer', async () => {
    const checks = await localChecks(db, 'http://127.0.0.9:9/');
    expect(checks.checks.wordpress?.ok).toBe(false);
  });

  it('take a node down at the edge after three failed checks, and the edge says why', async () => {
    const client = edgeClient({ edgeUrl: edge.url.href, ...SECONDARY_KEY });
    expect((await sendHeartbeat(db, client, undefined)).up).toBe(true);
    for (let i = 0; i < 2; i++)
      expect((await sendHeartbeat(brokenDb, client, undefined)).up).toBe(true);
    const down = await sendHeartbeat(brokenDb, client, undefined);
    expect(down.up).toBe(false);
    expect(down.reason).toMatch(/^down after 3 failed checks \(heartbeat: database: /);
    for (let i = 0; i < 3; i++) await sendHeartbeat(db, client, undefined);
    expect(await client.call(AGENT_ROUTES.health, {})).toMatchObject({
      node: 'agent-b',
      health: { up: true },
    });
  });
});
