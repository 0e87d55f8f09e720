import {
  createExecutionContext,
  createScheduledController,
  runInDurableObject,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { storedRows } from '@wp-edge/core';
import { addNode, bindingStore, createSite, removeSite } from '@wp-edge/core/provision';
import { describe, expect, it } from 'vitest';
import { purgesOf } from '../src/cache/page-purges.ts';
import { registryOf } from '../src/health/node-registry.ts';
import router from '../src/index.ts';

// The router's objects of a site, emptied as `sites remove` empties them.
const store = {
  ...bindingStore(env.DB, env.SITE_CONFIG),
  siteState: {
    wipe: (siteId: string) =>
      Promise.all([registryOf(env, siteId).wipe(), purgesOf(env, siteId).wipe()]),
  },
};

/** A site with a node whose heartbeats the registry has, and purges of its cache. */
async function busySite(id: string) {
  await createSite(store, { id, hosts: [`${id}.example`] });
  await addNode(store, id, { id: `${id}-a`, originUrl: 'http://127.0.0.2:8081', role: 'primary' });
  await registryOf(env, id).record(`${id}-a`, true, 'heartbeat ok', 'heartbeat', {
    rise: 3,
    fall: 3,
  });
  await purgesOf(env, id).purgeSite();
  await purgesOf(env, id).purgePages([`https://${id}.example/?p=1`]);
}

/** Per D1 table, the rows that name the site. */
async function d1RowsOf(site: string): Promise<Record<string, number>> {
  const { results: tables } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'",
  ).all<{ name: string }>();
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const { results } = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
    counts[name] = results.filter((row) =>
      Object.values(row).some((value) => typeof value === 'string' && value.includes(site)),
    ).length;
  }
  return counts;
}

const objectsOf = (siteId: string) => [registryOf(env, siteId), purgesOf(env, siteId)];

async function objectRows(siteId: string) {
  return Promise.all(
    objectsOf(siteId).map((stub) =>
      runInDurableObject(stub, async (_, state) => ({
        rows: storedRows(state.storage),
        alarm: await state.storage.getAlarm(),
      })),
    ),
  );
}

describe('removing a site', () => {
  it('empties its node registry and page purges, and leaves no row of it in D1', async () => {
    await busySite('doomed');
    await busySite('spared');
    const spared = (await objectRows('spared')).map(({ rows }) => rows);
    expect(
      (await objectRows('doomed')).map(({ rows }) => Object.values(rows).some(Boolean)),
    ).toEqual([true, true]);

    await removeSite(store, 'doomed');

    for (const { rows, alarm } of await objectRows('doomed')) {
      expect(Object.values(rows).every((count) => count === 0)).toBe(true);
      expect(alarm).toBeNull();
    }
    expect(await registryOf(env, 'doomed').health()).toEqual({});
    expect(await purgesOf(env, 'doomed').view()).toMatchObject({
      cacheGeneration: 0,
      purgedPages: {},
    });
    expect(Object.values(await d1RowsOf('doomed')).every((count) => count === 0)).toBe(true);
    expect((await objectRows('spared')).map(({ rows }) => rows)).toEqual(spared);
    expect(await env.SITE_CONFIG.get('host:doomed.example')).toBeNull();
  });

  it('when removed by the CLI, which cannot reach the objects, has them emptied by the router’s next cron', async () => {
    await busySite('cli-removed');
    // The CLI's store: D1, KV and R2 only.
    const cli = bindingStore(env.DB, env.SITE_CONFIG);
    await removeSite(cli, 'cli-removed');
    expect(Object.values(await d1RowsOf('cli-removed')).filter(Boolean)).toEqual([1]);
    await expect(
      createSite(cli, { id: 'cli-removed', hosts: ['cli-removed.example'] }),
    ).rejects.toThrow(
      'site cli-removed was removed moments ago and the edge is still emptying its state',
    );

    const ctx = createExecutionContext();
    await router.scheduled(createScheduledController({ cron: '* * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);

    for (const { rows, alarm } of await objectRows('cli-removed')) {
      expect(Object.values(rows).every((count) => count === 0)).toBe(true);
      expect(alarm).toBeNull();
    }
    expect(Object.values(await d1RowsOf('cli-removed')).every((count) => count === 0)).toBe(true);
    await createSite(cli, { id: 'cli-removed', hosts: ['cli-removed.example'] });
  });
});
