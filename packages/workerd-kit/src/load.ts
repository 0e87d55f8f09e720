import autocannon from 'autocannon';

/** A benchmark that must not report figures: what went wrong, for its exit message. */
export class BenchFailure extends Error {
  override name = 'BenchFailure';
}

export interface LoadOptions {
  /** What is loaded, as the failure message names it: `the bare Worker`. */
  label: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Requests to cycle through instead of one (for example, to vary the client address). */
  requests?: autocannon.Request[];
  durationSeconds?: number;
  connections?: number;
  warmupSeconds?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
}

function refused(stats: Record<string, { count?: number }> | undefined): number {
  return Object.entries(stats ?? {})
    .filter(([status]) => Number(status) >= 400)
    .reduce((sum, [, { count }]) => sum + (count ?? 0), 0);
}

function run(options: LoadOptions, durationSeconds: number) {
  return autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.requests === undefined ? {} : { requests: options.requests }),
    connections: options.connections ?? 32,
    duration: durationSeconds,
  });
}

/**
 * Loads a URL with a fixed number of connections for a fixed time (after a warm-up whose
 * figures are thrown away) and reports throughput and latency. Throws `BenchFailure` when a
 * request of the warm-up or the load failed to connect, timed out or got a 4xx/5xx.
 */
export async function measureLoad(options: LoadOptions): Promise<LoadResult> {
  const warmup = options.warmupSeconds ?? 1;
  if (warmup > 0) refuseFailures(`${options.label} (warm-up)`, await run(options, warmup));
  const result = await run(options, options.durationSeconds ?? 5);
  refuseFailures(options.label, result);
  if (result.requests.total === 0)
    throw new BenchFailure(`${options.label}: no request was answered; no figure is recorded`);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
  };
}

/** Throws when a load had a failed request: its figures would not be the Worker's. */
function refuseFailures(label: string, result: autocannon.Result): void {
  const statuses = Object.entries(result.statusCodeStats ?? {})
    .filter(([status]) => Number(status) >= 400)
    .map(([status, { count }]) => `${count} × ${status}`);
  const failed = result.errors + result.timeouts + refused(result.statusCodeStats);
  if (failed > 0)
    throw new BenchFailure(
      `${label}: ${failed} of ${result.requests.total + result.errors + result.timeouts} requests failed (${result.errors} errors, ${result.timeouts} timeouts${statuses.length > 0 ? `, ${statuses.join(', ')}` : ''}); no figure is recorded`,
    );
}

/**
 * Sends exactly `total` requests from `concurrency` clients, each waiting for its answer
 * before the next, and returns how many were answered 2xx: for checking that none is lost.
 */
export async function sendExactly(
  total: number,
  concurrency: number,
  send: (i: number) => Promise<Response>,
): Promise<number> {
  let next = 0;
  let answered = 0;
  const client = async () => {
    while (next < total) {
      const response = await send(next++);
      if (response.ok) answered++;
      await response.body?.cancel();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return answered;
}
