import { BenchFailure, type Figure, type RunningWorkers } from '@wp-edge/workerd-kit';

const CYCLE_TIMEOUT_MS = 120_000;

/** The registry's RPC the bench reads (`NodeRegistry.probeCycle`). */
interface Registry {
  probeCycle(): Promise<{ durationMs: number; subrequests: number } | undefined>;
}
interface Registries {
  idFromName(name: string): unknown;
  get(id: unknown): Registry;
}

/** What each site's registry says its last probe cycle (one alarm invocation) took. */
async function registryCycles(edge: RunningWorkers, siteIds: string[]) {
  const registries = (await edge.miniflare.getDurableObjectNamespace(
    'NODE_REGISTRY',
    'wp-edge-router',
  )) as unknown as Registries;
  const cycles = await Promise.all(
    siteIds.map((id) => registries.get(registries.idFromName(id)).probeCycle()),
  );
  const made = cycles.filter((cycle) => cycle !== undefined);
  if (made.length < siteIds.length)
    throw new BenchFailure(
      `${siteIds.length - made.length} registries made no probe cycle; no figure is recorded`,
    );
  const durations = made.map((cycle) => cycle.durationMs).sort((a, b) => a - b);
  return {
    'router.farm.probe-alarm.subrequests-max': {
      value: Math.max(...made.map((cycle) => cycle.subrequests)),
      unit: 'subrequests',
    },
    'router.farm.probe-alarm.ms-p50': {
      value: durations[Math.floor(durations.length / 2)] ?? 0,
      unit: 'ms',
    },
    'router.farm.probe-alarm.ms-max': { value: durations.at(-1) ?? 0, unit: 'ms' },
  };
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One probe cycle of the farm from a standing start: the router's cron fired (as its trigger
 * would, only without waiting a minute between) until every node has been probed once; then
 * one more cron invocation once the cycle is done, with the node requests made during it; and
 * what each registry's alarm took for its own site's cycle.
 */
export async function farmProbes(
  edge: RunningWorkers,
  siteIds: string[],
  nodeCount: number,
  probesSeen: number[],
): Promise<Record<string, Figure>> {
  const router = await edge.miniflare.getWorker('wp-edge-router');
  const cron = async () => {
    const started = performance.now();
    await router.scheduled({ cron: '* * * * *' });
    return performance.now() - started;
  };
  const from = probesSeen.length;
  const started = performance.now();
  let invocations = 0;
  while (probesSeen.length - from < nodeCount) {
    if (performance.now() - started > CYCLE_TIMEOUT_MS)
      throw new BenchFailure(
        `only ${probesSeen.length - from} of ${nodeCount} nodes were probed in ${CYCLE_TIMEOUT_MS / 1000} s; no figure is recorded`,
      );
    await cron();
    invocations++;
    await sleep(100);
  }
  const cycleMs = Math.max(...probesSeen.slice(from)) - started;
  const before = probesSeen.length;
  const cronMs = await cron();
  return {
    ...(await registryCycles(edge, siteIds)),
    'router.farm.probe-cycle.ms': { value: Math.round(cycleMs), unit: 'ms' },
    'router.farm.probe-cycle.cron-invocations': { value: invocations, unit: 'invocations' },
    'router.farm.probe-cron.ms': { value: Math.round(cronMs), unit: 'ms' },
    'router.farm.probe-cron.node-requests': {
      value: probesSeen.length - before,
      unit: 'requests',
    },
  };
}
