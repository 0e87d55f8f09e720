import type { Logger } from '@wp-edge/core';

export interface PeriodicTask {
  name: string;
  /** Pause after a pass that worked (0 for a task that waits inside, like a long-poll). */
  intervalMs: number;
  /** First pause after a failed pass; it doubles with each failure in a row, up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /**
   * One pass. `stopping()` turns true when a stop is asked for: a pass checks it between
   * units of work it may stop after; `signal` aborts waits that should end at once.
   */
  run(stopping: () => boolean, signal: AbortSignal): Promise<unknown>;
}

/**
 * Runs each task again and again until SIGTERM or SIGINT; a failed pass is logged and
 * retried with a growing delay. A stop lets the pass in hand finish its batch. `onPass`
 * hears of every pass that ended, by task name and outcome.
 */
export async function runForever(
  tasks: PeriodicTask[],
  logger: Logger,
  onPass: (task: string, ok: boolean) => void = () => {},
): Promise<void> {
  let stopping = false;
  const stopped = new AbortController();
  const stop = (signal: string) => {
    logger.info('stopping after the work in hand', { signal });
    stopping = true;
    stopped.abort();
  };
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  process.once('SIGTERM', onTerm);
  process.once('SIGINT', onInt);
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopping || ms <= 0) return resolve();
      const timer = setTimeout(done, ms);
      stopped.signal.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        stopped.signal.removeEventListener('abort', done);
        resolve();
      }
    });
  const loops = tasks.map(async (task) => {
    let failures = 0;
    while (!stopping) {
      try {
        await task.run(() => stopping, stopped.signal);
        onPass(task.name, true);
        failures = 0;
        await pause(task.intervalMs);
      } catch (error) {
        if (stopping) break;
        onPass(task.name, false);
        const delayMs = Math.min(
          (task.retryMs ?? task.intervalMs) * 2 ** failures,
          task.maxRetryMs ?? 300_000,
        );
        failures++;
        logger.error(`${task.name} failed; trying again in ${Math.round(delayMs / 1000)} s`, {
          error,
        });
        await pause(delayMs);
      }
    }
  });
  await Promise.all(loops);
  process.off('SIGTERM', onTerm);
  process.off('SIGINT', onInt);
}

/**
 * A setup step that runs once, on the first call that needs it; a failed attempt is forgotten,
 * so the next call tries again (callers running under `runForever` back off between tries).
 */
export function retriedOnce(setup: () => Promise<void>): () => Promise<void> {
  let attempt: Promise<void> | undefined;
  return () => {
    attempt ??= setup().catch((error: unknown) => {
      attempt = undefined;
      throw error;
    });
    return attempt;
  };
}
