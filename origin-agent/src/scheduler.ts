import type { Logger } from '@wp-edge/core';

export interface PeriodicTask {
  name: string;
  intervalMs: number;
  /** One pass; it should check `stopping()` between units of work it can stop after. */
  run(stopping: () => boolean): Promise<unknown>;
}

/**
 * Runs each task every interval until SIGTERM or SIGINT; a failed pass is logged and the
 * task tries again at its next interval. A stop lets the pass in hand finish its batch.
 */
export async function runForever(tasks: PeriodicTask[], logger: Logger): Promise<void> {
  let stopping = false;
  let wake: () => void = () => {};
  const stop = (signal: string) => {
    logger.info('stopping after the work in hand', { signal });
    stopping = true;
    wake();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  const loops = tasks.map(async (task) => {
    while (!stopping) {
      try {
        await task.run(() => stopping);
      } catch (error) {
        logger.error(`${task.name} failed; trying again in ${task.intervalMs / 1000} s`, { error });
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, task.intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  });
  await Promise.all(loops);
}
