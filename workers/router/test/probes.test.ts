import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { addNode, bindingStore, createSite, removeSite } from '@wp-edge/core/provision';
import { describe, expect, inject, it } from 'vitest';
import { SITES_STARTED_PER_RUN } from '../src/health/probe-starts.ts';
import { registry, signedSite } from './heartbeats.ts';
import { firstProbeCycle, probeCycles, runCrons } from './probe-cycles.ts';

const store = bindingStore(env.DB, env.SITE_CONFIG);

/**
 * The router's bindings, each call that leaves the Worker counted: a D1 statement prepared
 * or a batch sent, a Durable Object or service called. An upper bound on the subrequests of
 * one invocation, which the platform caps (50 on Workers Free).
 */
function countingEnv(): { env: Env; subrequests: () => number } {
  let calls = 0;
  const counted = <T extends object>(binding: T, methods: string[]): T =>
    new Proxy(binding, {
      get(target, name) {
        const value: unknown = Reflect.get(target, name, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (methods.includes(String(name))) calls++;
          return value.apply(target, args);
        };
      },
    });
  const runEnv: Env = {
    ...env,
    DB: counted(env.DB, ['prepare', 'batch', 'exec']),
    NODE_REGISTRY: counted(env.NODE_REGISTRY, ['get', 'getByName']),
    PAGE_PURGES: counted(env.PAGE_PURGES, ['get', 'getByName']),
    VIEWS_AGENT: counted(env.VIEWS_AGENT, ['forgetSite']),
  };
  return { env: runEnv, subrequests: () => calls };
}

/** The subrequests one run of the router's crons makes. */
async function cronSubrequests(): Promise<number> {
  const counting = countingEnv();
  await runCrons(counting.env);
  return counting.subrequests();
}

const ids = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

describe('probes', () => {
  it('probes every node of many sites from their registries, while each cron run makes a bounded number of subrequests, the same with 0 or 45 sites', async () => {
    const idle = await cronSubrequests();
    const sites = ids(SITES_STARTED_PER_RUN + 5, 'farm');
    for (const id of sites) await signedSite(id);

    const starting = [await cronSubrequests(), await cronSubrequests()];
    expect(Math.max(...starting)).toBeLessThanOrEqual(idle + SITES_STARTED_PER_RUN + 1);
    await Promise.all(sites.map(firstProbeCycle));
    for (const id of sites) {
      expect(await registry(id).probeCycle()).toMatchObject({ nodes: 2, subrequests: 3 });
      const health = await registry(id).health();
      for (const node of ['a', 'b'])
        expect(health[`${id}-${node}`]?.reason).toBe('up (probe: answered 200)');
    }
    // Before, one run fetched every node and called its registry for each: 1 + 2 × 90 here.
    expect(await cronSubrequests()).toBe(idle);
  });

  it('starts probing a new site once it has a node, so its first node is probed at once', async () => {
    await createSite(store, { id: 'empty', hosts: ['empty.example'] });
    await runCrons();
    expect(await registry('empty').probeCycle()).toBeUndefined();
    await addNode(store, 'empty', { id: 'empty-a', originUrl: inject('originUrl') });
    await runCrons();
    await firstProbeCycle('empty');
    expect(await registry('empty').probeCycle()).toMatchObject({ nodes: 1 });
  });

  it('probes each node again after the site’s probe interval, and learns of a node added since from D1', async () => {
    await signedSite('interval', { health: { probeIntervalSeconds: 30 } });
    await registry('interval').startProbing();
    await firstProbeCycle('interval');
    const nextInMs = await runInDurableObject(
      registry('interval'),
      async (_instance, state) => ((await state.storage.getAlarm()) ?? 0) - Date.now(),
    );
    expect(nextInMs).toBeGreaterThan(25_000);
    expect(nextInMs).toBeLessThanOrEqual(30_000);

    await addNode(store, 'interval', { id: 'interval-c', originUrl: inject('originUrl') });
    await probeCycles('interval', 1);
    expect(await registry('interval').probeCycle()).toMatchObject({ nodes: 3, subrequests: 4 });
    expect((await registry('interval').health())['interval-c']?.reason).toBe(
      'up (probe: answered 200)',
    );
  });

  it('probes at most 6 nodes of a site at once', async () => {
    await signedSite('crowded', { health: { probePath: '/held' } });
    for (let i = 0; i < 6; i++)
      await addNode(store, 'crowded', { id: `crowded-${i}`, originUrl: inject('originUrl') });
    await registry('crowded').startProbing();
    await firstProbeCycle('crowded');
    expect(await registry('crowded').probeCycle()).toMatchObject({ nodes: 8 });
    const most = Number(await (await fetch(`${inject('originUrl')}/most-held`)).text());
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(6);
  });

  it('counts a node that does not answer its probe within health.timeoutSeconds as failed', async () => {
    const { a } = await signedSite('slow-probe', {
      health: { probePath: '/slow', timeoutSeconds: 1, fall: 1 },
    });
    await registry('slow-probe').startProbing();
    await firstProbeCycle('slow-probe');
    expect((await registry('slow-probe').probeCycle())?.durationMs).toBeLessThan(5_000);
    expect((await registry('slow-probe').health())[a.id]).toMatchObject({
      up: false,
      reason: expect.stringMatching(/^down after 1 failed checks \(probe: .*tim/i),
    });
  });

  it('stops probing a site once it is removed, as the CLI removes it, by the next cron', async () => {
    await signedSite('leaving');
    await runCrons();
    await firstProbeCycle('leaving');
    await removeSite(store, 'leaving');
    await runCrons();
    const left = await runInDurableObject(registry('leaving'), async (_instance, state) => ({
      alarm: await state.storage.getAlarm(),
      schedule: state.storage.sql.exec('SELECT * FROM probe_schedule').toArray(),
    }));
    expect(left).toEqual({ alarm: null, schedule: [] });
  });

  it('stops probing a site its registry no longer finds in D1', async () => {
    await signedSite('vanished');
    await registry('vanished').startProbing();
    await firstProbeCycle('vanished');
    await removeSite(store, 'vanished');
    await probeCycles('vanished', 1);
    const schedule = await runInDurableObject(registry('vanished'), (_instance, state) =>
      state.storage.sql.exec('SELECT * FROM probe_schedule').toArray(),
    );
    expect(schedule).toEqual([]);
  });
});
