import { createLogger } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { runForever } from './scheduler.ts';

const quiet = createLogger({}, { write: () => {} });

describe('running tasks on a schedule', () => {
  it('runs a task again after each interval, goes on after a failure, and stops on SIGTERM', async () => {
    const passes: boolean[] = [];
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
    );
    await running;
    expect(failedOnce).toBe(true);
    expect(passes).toEqual([false, false, false]);
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
