import { convertV4MiniflareOptions, type LegacyWorkerOptions, Miniflare } from 'miniflare';

/** Options for a whole run of Workers. */
export interface SharedOptions {
  /** Where D1, KV, R2 and Durable Objects persist: `<state>/v3`, as `npm run dev` and the CLI's `--state` use it. */
  resourcePersistencePath?: string;
  /** 0 opens workerd's inspector on a free port (for `isolateHeapBytes`). */
  inspectorPort?: number;
}

export interface RunningWorkers {
  /** Where the first Worker answers, on loopback. */
  url: URL;
  miniflare: Miniflare;
  dispose(): Promise<void>;
}

/**
 * Runs Workers in workerd through the Miniflare API on a free loopback port: the first one
 * answers HTTP, the others are reachable over its service bindings. No wrangler proxy.
 * @example
 * const edge = await runWorkers([await workerOptions('router'), await workerOptions('views')]);
 * try { await fetch(edge.url) } finally { await edge.dispose() }
 */
export async function runWorkers(
  workers: LegacyWorkerOptions[],
  shared: SharedOptions = {},
): Promise<RunningWorkers> {
  const miniflare = new Miniflare(
    convertV4MiniflareOptions({ host: '127.0.0.1', port: 0, workers, ...shared } as never),
  );
  const url = await miniflare.ready;
  return { url, miniflare, dispose: () => miniflare.dispose() };
}

/** A Worker that answers every request with `ok` and does nothing else: the ceiling to compare with. */
export const BARE_WORKER: LegacyWorkerOptions = {
  name: 'bare',
  modules: true,
  script: "export default { fetch() { return new Response('ok'); } };",
  compatibilityDate: '2026-10-15',
};

/**
 * Runs Workers for the time `work` takes, and disposes of them however it ends.
 * @example
 * const load = await withWorkers([BARE_WORKER], (workers) => measureLoad({ url: workers.url.href }));
 */
export async function withWorkers<T>(
  workers: LegacyWorkerOptions[],
  work: (running: RunningWorkers) => Promise<T>,
  shared: SharedOptions = {},
): Promise<T> {
  const running = await runWorkers(workers, shared);
  try {
    return await work(running);
  } finally {
    await running.dispose();
  }
}
