import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { type SiteSnapshot, signRequest } from '@wp-edge/core';
import { addNode, bindingStore, createSite, updateSettings } from '@wp-edge/core/provision';
import { describe, expect, inject, it } from 'vitest';
import { KEY, registry, heartbeat as signedHeartbeat, signedSite } from './heartbeats.ts';
import { firstProbeCycle, probeCycles, runCrons } from './probe-cycles.ts';

type Node = SiteSnapshot['nodes'][number];
const store = bindingStore(env.DB, env.SITE_CONFIG);

/** A site `<id>.example` with a primary and a secondary node, as `signedSite` provisions it. */
async function site(id: string, settings: unknown = {}) {
  const { host, a, b } = await signedSite(id, settings);
  return { base: `https://${host}`, a, b };
}

/** A signed heartbeat to the edge at `base`, with the node's database up or down. */
const heartbeat = (
  base: string,
  nodeId: string,
  databaseOk: boolean,
  diskFreeBytes = 20 * 1024 ** 3,
) => signedHeartbeat(new URL(base).host, nodeId, { databaseOk, diskFreeBytes, load1: 0.5 });

async function servedBy(url: string, init: RequestInit = {}) {
  const response = await exports.default.fetch(url, { redirect: 'manual', ...init });
  await response.arrayBuffer();
  return { status: response.status, node: response.headers.get('x-origin') };
}

describe('node health', () => {
  it('goes down after three failed heartbeats and up after three good ones, recording why', async () => {
    const { base, a } = await site('beats');
    expect((await heartbeat(base, a.id, false)).up).toBe(true);
    expect((await heartbeat(base, a.id, false)).up).toBe(true);
    const down = await heartbeat(base, a.id, false);
    expect(down).toMatchObject({
      up: false,
      reason: 'down after 3 failed checks (heartbeat: database: connection refused)',
    });
    await heartbeat(base, a.id, true);
    await heartbeat(base, a.id, true);
    expect((await heartbeat(base, a.id, true)).up).toBe(true);
    const changes = await registry('beats').changes();
    expect(changes.map((change) => change.up)).toEqual([true, false]);
  });

  it('judges heartbeats by the site’s own thresholds, whatever host the agent reaches the edge by', async () => {
    const { a } = await site('beats-fall-1', { health: { fall: 1 } });
    expect(await heartbeat('https://edge.internal.example', a.id, false)).toMatchObject({
      up: false,
      reason: 'down after 1 failed checks (heartbeat: database: connection refused)',
    });
  });

  it('counts a heartbeat from a node whose disk is nearly full as a failed check', async () => {
    const { base, a } = await site('disk-full', { health: { fall: 1, minFreeDiskMb: 512 } });
    expect(await heartbeat(base, a.id, true, 100 * 1024 ** 2)).toMatchObject({
      up: false,
      reason: 'down after 1 failed checks (heartbeat: disk: 100 MiB free, below 512 MiB)',
    });
  });

  it('counts a node whose heartbeats stopped as down, without any traffic', async () => {
    const { base, b } = await site('silent');
    await heartbeat(base, b.id, true);
    const stub = registry('silent');
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).not.toBe(
      null,
    );
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec(
        'UPDATE node_state SET last_heartbeat = ? WHERE node_id = ?',
        new Date(Date.now() - 60_000).toISOString(),
        b.id,
      );
    });
    for (let i = 0; i < 3; i++) expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await stub.health())[b.id]).toMatchObject({
      up: false,
      reason: 'down after 3 failed checks (missed heartbeat: none for 60 s)',
    });
  });

  it('counts a heartbeat 20 s late as failed, again every 5 s, so a silent node is down about 30 s after its last', async () => {
    const { base, b } = await site('timings');
    await heartbeat(base, b.id, true);
    const stub = registry('timings');
    const alarmInMs = () =>
      runInDurableObject(
        stub,
        async (_instance, state) => ((await state.storage.getAlarm()) ?? 0) - Date.now(),
      );
    /** One pass of the registry's alarm with the node silent for this long since its last heartbeat. */
    const passAfter = async (silentMs: number) => {
      await runInDurableObject(stub, (_instance, state) => {
        state.storage.sql.exec(
          'UPDATE node_state SET last_heartbeat = ? WHERE node_id = ?',
          new Date(Date.now() - silentMs).toISOString(),
          b.id,
        );
      });
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      const next = await alarmInMs();
      expect(next).toBeGreaterThan(4_000);
      expect(next).toBeLessThanOrEqual(5_000);
      return (await stub.health())[b.id];
    };
    const first = await alarmInMs();
    expect(first).toBeGreaterThan(4_000);
    expect(first).toBeLessThanOrEqual(5_000);
    expect(await passAfter(19_000)).toMatchObject({
      up: true,
      reason: 'up (heartbeat: heartbeat ok)',
    });
    expect(await passAfter(21_000)).toMatchObject({ up: true });
    expect(await passAfter(26_000)).toMatchObject({ up: true });
    expect(await passAfter(31_000)).toMatchObject({
      up: false,
      reason: 'down after 3 failed checks (missed heartbeat: none for 31 s)',
    });
  });

  it('stops looking for heartbeats from a node silent for an hour', async () => {
    const { base, b } = await site('gone');
    await heartbeat(base, b.id, true);
    const stub = registry('gone');
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec(
        'UPDATE node_state SET last_heartbeat = ? WHERE node_id = ?',
        new Date(Date.now() - 2 * 3_600_000).toISOString(),
        b.id,
      );
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await runDurableObjectAlarm(stub)).toBe(false);
    expect((await stub.health())[b.id]?.up).toBe(true);
  });

  it('refuses an unsigned heartbeat', async () => {
    const { base } = await site('unsigned-beat');
    const response = await exports.default.fetch(`${base}/agent/heartbeat`, {
      method: 'POST',
      body: '{"checks":{"database":{"ok":false}}}',
    });
    expect(response.status).toBe(401);
  });

  it('tells a node what the edge thinks of it', async () => {
    const { base, b } = await site('status');
    await heartbeat(base, b.id, true);
    const url = `${base}/agent/health`;
    const response = await exports.default.fetch(url, {
      headers: await signRequest({ method: 'GET', url, ...KEY(b.id) }),
    });
    expect(await response.json()).toMatchObject({
      node: b.id,
      health: { up: true, lastHeartbeat: expect.any(String) },
    });
  });

  it('sends readers only to healthy nodes once a node is down', async () => {
    const { base, a } = await site('avoid-down');
    for (let i = 0; i < 3; i++)
      await registry('avoid-down').record(a.id, false, 'test', 'probe', { rise: 3, fall: 3 });
    await expect
      .poll(
        async () => {
          const nodes = new Set<string | null>();
          for (let i = 0; i < 10; i++) nodes.add((await servedBy(`${base}/read-${i}/`)).node);
          return [...nodes];
        },
        { timeout: 15_000, interval: 500 },
      )
      .toEqual(['b']);
  });

  it('answers admin with maintenance while the primary is down, and fails back after rise', async () => {
    const { base, a } = await site('failback');
    for (let i = 0; i < 3; i++)
      await registry('failback').record(a.id, false, 'test', 'probe', { rise: 3, fall: 3 });
    await expect
      .poll(async () => (await servedBy(`${base}/wp-admin/`)).status, {
        timeout: 15_000,
        interval: 500,
      })
      .toBe(503);
    for (let i = 0; i < 3; i++)
      await registry('failback').record(a.id, true, 'test', 'probe', { rise: 3, fall: 3 });
    await expect
      .poll(async () => (await servedBy(`${base}/wp-admin/`)).node, {
        timeout: 15_000,
        interval: 500,
      })
      .toBe('a');
  });

  it('sends admin and writes to the designated standby while the primary is down, and back after rise', async () => {
    const { base, a } = await site('standby', { failover: { standbyNode: 'standby-b' } });
    const down = async () => {
      for (let i = 0; i < 3; i++)
        await registry('standby').record(a.id, false, 'test', 'probe', { rise: 3, fall: 3 });
    };
    await down();
    const admin = async (init: RequestInit = {}) => {
      const response = await exports.default.fetch(`${base}/wp-admin/`, init);
      await response.arrayBuffer();
      return {
        status: response.status,
        node: response.headers.get('x-origin'),
        standby: response.headers.get('x-wp-edge-standby'),
      };
    };
    await expect
      .poll(() => admin(), { timeout: 15_000, interval: 500 })
      .toEqual({ status: 200, node: 'b', standby: 'standby-b' });
    expect(await admin({ method: 'POST', body: 'title=draft' })).toMatchObject({ node: 'b' });
    for (let i = 0; i < 3; i++)
      await registry('standby').record(a.id, true, 'test', 'probe', { rise: 3, fall: 3 });
    await expect
      .poll(() => admin(), { timeout: 15_000, interval: 500 })
      .toEqual({ status: 200, node: 'a', standby: null });
  });

  it('answers admin with maintenance when the primary and its standby are both down', async () => {
    const { base, a, b } = await site('standby-gone', {
      failover: { standbyNode: 'standby-gone-b' },
    });
    for (const node of [a, b])
      for (let i = 0; i < 3; i++)
        await registry('standby-gone').record(node.id, false, 'test', 'probe', {
          rise: 3,
          fall: 3,
        });
    await expect
      .poll(async () => (await servedBy(`${base}/wp-admin/`)).status, {
        timeout: 15_000,
        interval: 500,
      })
      .toBe(503);
  });

  it('sends an admin read the primary cannot take on to the standby at once, but never a write', async () => {
    const primary: Node = {
      id: 'unreachable-primary',
      originUrl: 'http://127.0.0.9:9',
      role: 'primary',
      weight: 100,
    };
    const standby: Node = {
      id: 'reachable-standby',
      originUrl: inject('secondOriginUrl'),
      role: 'secondary',
      weight: 100,
    };
    await createSite(store, { id: 'unreachable', hosts: ['unreachable.example'] });
    for (const node of [primary, standby]) await addNode(store, 'unreachable', node);
    await updateSettings(store, 'unreachable', { failover: { standbyNode: standby.id } });
    expect(await servedBy('https://unreachable.example/wp-admin/')).toEqual({
      status: 200,
      node: 'b',
    });
    const write = await servedBy('https://unreachable.example/wp-admin/post.php', {
      method: 'POST',
      body: 'title=draft',
    });
    expect(write.status).toBe(503);
  });

  it('counts failures seen on live traffic against the node', async () => {
    await site('traffic');
    // The same site seen through a second host name, with a node that cannot be reached added.
    const dead: Node = {
      id: 'traffic-dead',
      originUrl: 'http://127.0.0.9:9',
      role: 'secondary',
      weight: 1000,
    };
    const snapshot = JSON.parse(
      (await env.SITE_CONFIG.get('host:traffic.example')) ?? '{}',
    ) as SiteSnapshot;
    await env.SITE_CONFIG.put(
      'host:traffic2.example',
      JSON.stringify({
        ...snapshot,
        hosts: ['traffic2.example'],
        nodes: [...snapshot.nodes, dead],
      }),
    );
    await expect
      .poll(
        async () => {
          await servedBy('https://traffic2.example/some-page/');
          return (await registry('traffic').health())['traffic-dead']?.up;
        },
        { timeout: 15_000, interval: 100 },
      )
      .toBe(false);
  });

  it('probes as edge traffic, so a node that refuses anything else is counted up', async () => {
    const { a } = await site('probed-secret', { health: { probePath: '/edge-only' } });
    await env.DB.prepare(
      "UPDATE sites SET origin_secret = 's3cret' WHERE id = 'probed-secret'",
    ).run();
    await registry('probed-secret').startProbing();
    await firstProbeCycle('probed-secret');
    await probeCycles('probed-secret', 2);
    expect((await registry('probed-secret').health())[a.id]?.up).toBe(true);
    await env.DB.prepare("UPDATE sites SET origin_secret = NULL WHERE id = 'probed-secret'").run();
    await probeCycles('probed-secret', 3);
    expect((await registry('probed-secret').health())[a.id]?.up).toBe(false);
  });

  it('has a new site probed by its own registry once a cron of its wrangler.jsonc started it, counting a dead node down', async () => {
    await site('probed');
    await addNode(store, 'probed', { id: 'probed-dead', originUrl: 'http://127.0.0.9:9' });
    expect(env.TEST_CRONS.length).toBeGreaterThan(0);
    await runCrons();
    await firstProbeCycle('probed');
    await probeCycles('probed', 2);
    const health = await registry('probed').health();
    expect(health['probed-dead']).toMatchObject({
      up: false,
      reason: expect.stringMatching(/^down after 3 failed checks \(probe: /),
    });
    expect(health['probed-a']?.up).toBe(true);
  });
});
