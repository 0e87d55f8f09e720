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

/** One load measured in rounds (`measureInTurns`): the rounds' own results, and them combined. */
export interface RoundsResult extends LoadResult {
  rounds: LoadResult[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** Rounds of one load as one result: mean throughput, median latencies, every request counted. */
function combined(rounds: LoadResult[]): RoundsResult {
  return {
    requestsPerSecond: rounds.reduce((sum, r) => sum + r.requestsPerSecond, 0) / rounds.length,
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    total: rounds.reduce((sum, r) => sum + r.total, 0),
    rounds,
  };
}

/**
 * Loads several things in turns, `rounds` short loads of each one after another (their Workers
 * running all along), so other work on a shared machine weighs on all of them alike. Compare
 * two with `percentOf`. Throws `BenchFailure` as `measureLoad` does.
 * @example
 * const { bare, views } = await measureInTurns({
 *   bare: { label: 'the bare Worker', url: bare.url.href },
 *   views: { label: 'views counted', url: views.url.href, method: 'POST', body },
 * });
 * const percent = percentOf(views, bare);
 */
export async function measureInTurns<K extends string>(
  loads: Record<K, LoadOptions>,
  { rounds = 3, durationSeconds = 3 } = {},
): Promise<Record<K, RoundsResult>> {
  const names = Object.keys(loads) as K[];
  const results = new Map<K, LoadResult[]>(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++)
    for (const name of names)
      results.get(name)?.push(
        await measureLoad({
          durationSeconds,
          warmupSeconds: round === 0 ? 1 : 0,
          ...loads[name],
        }),
      );
  return Object.fromEntries(
    names.map((name) => [name, combined(results.get(name) ?? [])]),
  ) as Record<K, RoundsResult>;
}

/** A load's throughput as a percentage of a baseline's measured in the same turns: the median of the rounds'. */
export function percentOf(load: RoundsResult, baseline: RoundsResult): number {
  return median(
    load.rounds.map(
      (round, i) => (100 * round.requestsPerSecond) / (baseline.rounds[i]?.requestsPerSecond ?? 1),
    ),
  );
}
