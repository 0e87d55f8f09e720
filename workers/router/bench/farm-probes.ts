import { BenchFailure, type Figure, type RunningWorkers } from '@wp-edge/workerd-kit';

const CYCLE_TIMEOUT_MS = 120_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One probe cycle of the farm from a standing start: the router's cron fired (as its trigger
 * would, only without waiting a minute between) until every node has been probed once; then
 * one more cron invocation once the cycle is done, with the node requests made during it.
 */
export async function farmProbes(
  edge: RunningWorkers,
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
    'router.farm.probe-cycle.ms': { value: Math.round(cycleMs), unit: 'ms' },
    'router.farm.probe-cycle.cron-invocations': { value: invocations, unit: 'invocations' },
    'router.farm.probe-cron.ms': { value: Math.round(cronMs), unit: 'ms' },
    'router.farm.probe-cron.node-requests': {
      value: probesSeen.length - before,
      unit: 'requests',
    },
  };
}
