import { createLogger } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { retriedOnce, runForever } from './scheduler.ts';

const quiet = createLogger({}, { write: () => {} });

describe('running tasks on a schedule', () => {
  it('runs a task again after each interval, goes on after a failure, and stops on SIGTERM', async () => {
    const passes: boolean[] = [];
    const outcomes: string[] = [];
    let failedOnce = false;
    const running = runForever(
      [
        {
          name: 'test task',
          intervalMs: 5,
          retryMs: 5,
          async run(stopping) {
            if (!failedOnce) {
              failedOnce = true;
              throw new Error('edge away');
            }
            passes.push(stopping());
            if (passes.length === 3) process.emit('SIGTERM');
          },
        },
      ],
      quiet,
      (task, ok) => outcomes.push(`${task}: ${ok ? 'ok' : 'failed'}`),
    );
    await running;
    expect(failedOnce).toBe(true);
    expect(passes).toEqual([false, false, false]);
    expect(outcomes).toEqual([
      'test task: failed',
      'test task: ok',
      'test task: ok',
      'test task: ok',
    ]);
  });

  it('lets the pass in hand see that a stop was asked for', async () => {
    let sawStop = false;
    await runForever(
      [
        {
          name: 'long task',
          intervalMs: 1_000,
          async run(stopping) {
            process.emit('SIGINT');
            sawStop = stopping();
          },
        },
      ],
      quiet,
    );
    expect(sawStop).toBe(true);
  });
});

describe('a setup step run once', () => {
  it('runs once when it works, and again after a failure', async () => {
    let calls = 0;
    const ready = retriedOnce(async () => {
      calls++;
      if (calls === 1) throw new Error('database away');
    });
    await expect(ready()).rejects.toThrow('database away');
    await ready();
    await ready();
    expect(calls).toBe(2);
  });
});
