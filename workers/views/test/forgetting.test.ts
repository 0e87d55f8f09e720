import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { endOfDayMs, utcDay } from '../src/counting/day.ts';
import { rollupOf, settle, wipeSite } from '../src/counting/shards.ts';
import { SHARD_COUNT } from '../src/counting/visitor.ts';
import { everyRowOf, rowsOf } from './stored-counts.ts';

const DAY_MS = 86_400_000;
const VISITOR = 'f'.repeat(64);
const RULES = { windowMs: 30 * 60_000 };

const storedSalt = (stub: DurableObjectStub) =>
  runInDurableObject(stub, (_instance, state) => state.storage.get('salt'));

describe('forgetting the day’s visitors at midnight', () => {
  it('forgets yesterday’s visitor hashes though no view comes after midnight, and keeps the counts', async () => {
    const shard = env.VIEW_SHARDS.get(env.VIEW_SHARDS.idFromName('quiet:0'));
    await shard.recordView('post:1', VISITOR, Date.now() - DAY_MS, RULES);
    await shard.recordView('/about/', VISITOR, Date.now() - DAY_MS, RULES);
    await runDurableObjectAlarm(shard);
    await vi.waitFor(async () => expect(await rowsOf(shard, 'visits_today')).toEqual([]));
    expect(await everyRowOf(shard)).not.toContain(VISITOR);
    expect(await rollupOf(env, 'quiet').countsOf(['post:1'])).toEqual({
      'post:1': { views: 1, visitors: 1 },
    });
  });

  it('keeps today’s visitors when the alarm comes before the day is over, and waits for midnight', async () => {
    const shard = env.VIEW_SHARDS.get(env.VIEW_SHARDS.idFromName('early:0'));
    await shard.recordView('post:1', VISITOR, Date.now(), RULES);
    expect(await runDurableObjectAlarm(shard)).toBe(true);
    expect(await rowsOf(shard, 'visits_today')).toHaveLength(1);
    const alarm = await runInDurableObject(shard, (_instance, state) => state.storage.getAlarm());
    expect(alarm).toBe(endOfDayMs(utcDay(Date.now())));
  });

  it('forgets yesterday’s salt though no view comes after midnight', async () => {
    const salts = env.DAILY_SALT.get(env.DAILY_SALT.idFromName('quiet-salt'));
    await salts.saltFor(utcDay(Date.now() - DAY_MS));
    await runDurableObjectAlarm(salts);
    await vi.waitFor(async () => expect(await storedSalt(salts)).toBeUndefined());
  });

  it('keeps today’s salt when the alarm comes before the day is over', async () => {
    const salts = env.DAILY_SALT.get(env.DAILY_SALT.idFromName('early-salt'));
    const salt = await salts.saltFor(utcDay(Date.now()));
    expect(await runDurableObjectAlarm(salts)).toBe(true);
    expect(await storedSalt(salts)).toEqual({ day: utcDay(Date.now()), salt });
  });
});

describe('forgetting a removed site', () => {
  it('empties every shard of the site and stops its alarms, leaving other sites’ counts', async () => {
    const shards = (site: string) =>
      Array.from({ length: SHARD_COUNT }, (_, i) =>
        env.VIEW_SHARDS.get(env.VIEW_SHARDS.idFromName(`${site}:${i}`)),
      );
    for (const shard of [...shards('removed'), ...shards('staying')])
      await shard.recordView('post:1', VISITOR, Date.now(), RULES);

    const left = await wipeSite(env, 'removed');

    expect(left.flatMap((rows) => Object.values(rows)).every((count) => count === 0)).toBe(true);
    expect(await rollupOf(env, 'removed').countsOf(['post:1'])).toEqual({});
    for (const shard of shards('removed')) {
      expect(
        await runInDurableObject(shard, (_instance, state) => state.storage.getAlarm()),
      ).toBeNull();
    }
    await settle(env, 'staying');
    expect(await rollupOf(env, 'staying').countsOf(['post:1'])).toEqual({
      'post:1': { views: SHARD_COUNT, visitors: SHARD_COUNT },
    });
  });
});
