import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { signRequest } from '@wp-edge/core';
import { addNode, bindingStore, createSite, updateSettings } from '@wp-edge/core/provision';
import { describe, expect, inject, it } from 'vitest';

const DAY_MS = 86_400_000;
const KEY = (node: string) => ({ keyId: `${node}-key`, secret: `${node}-secret`.padEnd(64, 'x') });
const store = bindingStore(env.DB, env.SITE_CONFIG);
const registry = (siteId: string) => env.NODE_REGISTRY.get(env.NODE_REGISTRY.idFromName(siteId));

async function heartbeat(host: string, nodeId: string, ok: boolean): Promise<void> {
  const url = `https://${host}/agent/heartbeat`;
  const body = JSON.stringify({ checks: { database: { ok } } });
  const headers = await signRequest({ method: 'POST', url, body, ...KEY(nodeId) });
  const response = await exports.default.fetch(url, {
    method: 'POST',
    body,
    headers: { ...headers, 'content-type': 'application/json' },
  });
  expect(response.status).toBe(200);
}

describe('the bounded history of node health', () => {
  it('keeps changes of state for the site’s health.historyDays and prunes older ones at the alarm', async () => {
    await createSite(store, { id: 'history', hosts: ['history.example'] });
    const node = { id: 'history-a', originUrl: inject('originUrl'), role: 'primary' as const };
    await addNode(store, 'history', node, { key: KEY(node.id) });
    await updateSettings(store, 'history', { health: { fall: 1, rise: 1, historyDays: 7 } });
    await heartbeat('history.example', node.id, false);
    await heartbeat('history.example', node.id, true);
    const stub = registry('history');
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec(
        'UPDATE health_changes SET at = ? WHERE up = 0',
        new Date(Date.now() - 8 * DAY_MS).toISOString(),
      );
    });
    expect((await stub.changes()).map((change) => change.up)).toEqual([true, false]);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.changes()).toEqual([expect.objectContaining({ nodeId: node.id, up: true })]);
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
