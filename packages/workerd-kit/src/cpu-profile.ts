import type { Miniflare } from 'miniflare';
import { inspectWorker } from './inspector.ts';

/** A V8 CPU profile, as the DevTools protocol's `Profiler.stop` gives it. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  startTime: number;
  endTime: number;
}

const SAMPLING_INTERVAL_US = 100;

/** Records a CPU profile of one Worker's isolate while `during` runs (the run needs `inspectorPort: 0`). */
export async function profileWhile<T>(
  miniflare: Miniflare,
  worker: string,
  during: () => Promise<T>,
): Promise<{ profile: CpuProfile; result: T }> {
  const session = await inspectWorker(miniflare, worker);
  try {
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await session.send('Profiler.start');
    const result = await during();
    const { profile } = await session.send<{ profile: CpuProfile }>('Profiler.stop');
    return { profile, result };
  } finally {
    session.close();
  }
}

const sampleCounts = (profile: CpuProfile) => {
  const counts = new Map<number, number>();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
};

/** Microseconds the isolate was busy (not idle) over the profile, per `requests` requests. */
export function busyMicrosecondsPer(profile: CpuProfile, requests: number): number {
  const idle = new Set(
    profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((n) => n.id),
  );
  const busy = profile.samples.filter((id) => !idle.has(id)).length / profile.samples.length;
  return (busy * (profile.endTime - profile.startTime)) / requests;
}

/**
 * Where an isolate's busy time went: each module of its bundle (from esbuild's `// <path>`
 * comments) and each native function, as a percentage of the busy samples, most first.
 */
export function busyTimeByModule(
  profile: CpuProfile,
  bundle: string,
): { module: string; percent: number }[] {
  const starts: [number, string][] = [];
  bundle.split('\n').forEach((line, i) => {
    const marker = /^\/\/ (?:\.\.\/)*(?:node_modules\/)?(\S+\.(?:m?js|ts))$/.exec(line);
    if (marker?.[1]) starts.push([i, marker[1]]);
  });
  const moduleAt = (line: number) => starts.findLast(([start]) => start <= line)?.[1] ?? '(bundle)';
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const shares = new Map<string, number>();
  let busy = 0;
  for (const [id, count] of sampleCounts(profile)) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    const where = frame.url.startsWith('script-')
      ? moduleAt(frame.lineNumber)
      : frame.url || `native ${frame.functionName || '(anonymous)'}`;
    shares.set(where, (shares.get(where) ?? 0) + count);
    busy += count;
  }
  return [...shares]
    .map(([module, count]) => ({ module, percent: (100 * count) / busy }))
    .sort((a, b) => b.percent - a.percent);
}
