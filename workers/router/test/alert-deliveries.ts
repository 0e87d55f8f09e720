import { runDurableObjectAlarm } from 'cloudflare:test';
import { expect, inject } from 'vitest';
import type { Received } from './alert-stand-ins.ts';
import { registry } from './heartbeats.ts';

/** The bodies the alert stand-in received under `path`, oldest first. */
export async function received(path: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${inject('receiverBase')}/received?path=${path}`);
  return ((await response.json()) as Received[]).map((hook) => JSON.parse(hook.body));
}

/** Runs the site's registry alarm, which delivers the alerts due. */
export async function deliver(siteId: string): Promise<void> {
  expect(await runDurableObjectAlarm(registry(siteId))).toBe(true);
}
