import type { Miniflare } from 'miniflare';
import { inspectWorker } from './inspector.ts';

/**
 * The bytes of JavaScript heap one Worker's isolate uses after a full garbage collection, read
 * through workerd's inspector (the run needs `inspectorPort: 0`). Locally a Worker's Durable
 * Objects live in its isolate too, unless they are bound from another Worker (`scriptName`).
 */
export async function isolateHeapBytes(miniflare: Miniflare, worker: string): Promise<number> {
  const session = await inspectWorker(miniflare, worker);
  try {
    // workerd never answers collectGarbage; the heap usage asked after it is read after it ran.
    void session.send('HeapProfiler.collectGarbage');
    const usage = await session.send<{ usedSize?: number }>('Runtime.getHeapUsage');
    return usage.usedSize ?? 0;
  } finally {
    session.close();
  }
}
