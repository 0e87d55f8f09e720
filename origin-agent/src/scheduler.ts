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
  const sleepers = new Set<() => void>();
  const stop = (signal: string) => {
    logger.info('stopping after the work in hand', { signal });
    stopping = true;
    for (const wake of sleepers) wake();
  };
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  process.once('SIGTERM', onTerm);
  process.once('SIGINT', onInt);
  const loops = tasks.map(async (task) => {
    while (!stopping) {
      try {
        await task.run(() => stopping);
      } catch (error) {
        logger.error(`${task.name} failed; trying again in ${task.intervalMs / 1000} s`, { error });
      }
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          sleepers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, task.intervalMs);
        sleepers.add(wake);
      });
    }
  });
  await Promise.all(loops);
  process.off('SIGTERM', onTerm);
  process.off('SIGINT', onInt);
}
