import { ORIGIN_SECRET_HEADER } from '@wp-edge/core';

/** At most this many probes of one site are in flight at once (the platform's open connections). */
export const PROBE_CONCURRENCY = 6;

/** A node to probe: its id and the URL of its probe path. */
export interface ProbeTarget {
  nodeId: string;
  url: string;
}

export interface ProbeResult {
  nodeId: string;
  ok: boolean;
  detail: string;
}

async function probe(
  target: ProbeTarget,
  timeoutSeconds: number,
  originSecret: string | undefined,
): Promise<ProbeResult> {
  try {
    const response = await fetch(target.url, {
      redirect: 'manual',
      // As edge traffic, so a node that refuses anything else still answers its probe.
      headers: originSecret ? { [ORIGIN_SECRET_HEADER]: originSecret } : {},
      signal: AbortSignal.timeout(timeoutSeconds * 1000),
    });
    await response.body?.cancel();
    return {
      nodeId: target.nodeId,
      ok: response.status < 500,
      detail: `answered ${response.status}`,
    };
  } catch (error) {
    return { nodeId: target.nodeId, ok: false, detail: (error as Error).message };
  }
}

/**
 * Asks each node for its probe path as edge traffic, `PROBE_CONCURRENCY` at a time, each
 * given `timeoutSeconds`: an answer below 500 is good, anything else (or none) is bad.
 */
export async function probeNodes(
  targets: ProbeTarget[],
  timeoutSeconds: number,
  originSecret: string | undefined,
): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  let next = 0;
  const worker = async () => {
    for (let target = targets[next++]; target; target = targets[next++])
      results.push(await probe(target, timeoutSeconds, originSecret));
  };
  await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, targets.length) }, worker));
  return results;
}
