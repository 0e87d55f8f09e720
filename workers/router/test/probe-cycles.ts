import {
  createExecutionContext,
  createScheduledController,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import worker from '../src/index.ts';
import { registry } from './heartbeats.ts';

/** Runs the router's scheduled handler once, for each cron of its wrangler.jsonc, with `runEnv`. */
export async function runCrons(runEnv: Env = env): Promise<void> {
  for (const cron of env.TEST_CRONS) {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron }), runEnv, ctx);
    await waitOnExecutionContext(ctx);
  }
}

/** Waits for the site's registry to finish its first probe cycle, which starting it makes due at once. */
export async function firstProbeCycle(siteId: string) {
  return expect
    .poll(() => registry(siteId).probeCycle(), { timeout: 15_000, interval: 100 })
    .toBeDefined();
}

/**
 * Has the site's registry (probing already) make `count` more probe cycles now, through its
 * alarm, as if each probe interval had passed.
 */
export async function probeCycles(siteId: string, count: number): Promise<void> {
  const stub = registry(siteId);
  for (let i = 0; i < count; i++) {
    await runInDurableObject(stub, async (_instance, state) => {
      state.storage.sql.exec('UPDATE probe_schedule SET next_at_ms = 0');
      await state.storage.setAlarm(Date.now());
    });
    await runDurableObjectAlarm(stub);
  }
}
