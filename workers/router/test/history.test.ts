import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { heartbeat, registry, signedSite } from './heartbeats.ts';

const DAY_MS = 86_400_000;

describe('the bounded history of node health', () => {
  it('keeps changes of state for the site’s health.historyDays and prunes older ones at the alarm', async () => {
    const { host, a } = await signedSite('history', {
      health: { fall: 1, rise: 1, historyDays: 7 },
    });
    await heartbeat(host, a.id, { databaseOk: false });
    await heartbeat(host, a.id);
    const stub = registry('history');
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec(
        'UPDATE health_changes SET at = ? WHERE up = 0',
        new Date(Date.now() - 8 * DAY_MS).toISOString(),
      );
    });
    expect((await stub.changes()).map((change) => change.up)).toEqual([true, false]);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.changes()).toEqual([expect.objectContaining({ nodeId: a.id, up: true })]);
  });

  it('keeps 30 days by default', async () => {
    const stub = registry('history-default');
    for (const ok of [false, true])
      await stub.record('history-default-a', ok, 'test', 'probe', { rise: 1, fall: 1 });
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec(
        'UPDATE health_changes SET at = ? WHERE up = 0',
        new Date(Date.now() - 31 * DAY_MS).toISOString(),
      );
      state.storage.sql.exec(
        'UPDATE health_changes SET at = ? WHERE up = 1',
        new Date(Date.now() - 29 * DAY_MS).toISOString(),
      );
    });
    await stub.record('history-default-a', false, 'test', 'probe', { rise: 1, fall: 1 });
    expect((await stub.changes()).map((change) => change.up)).toEqual([false, true]);
  });
});
