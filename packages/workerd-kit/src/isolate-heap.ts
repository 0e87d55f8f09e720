import type { Miniflare } from 'miniflare';

interface InspectorTarget {
  id: string;
  webSocketDebuggerUrl: string;
}

/** Sends DevTools protocol commands over one connection and resolves with the last one's result. */
async function inspect(url: string, methods: string[]): Promise<Record<string, number>> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve);
    socket.addEventListener('error', reject);
  });
  try {
    const answer = new Promise<Record<string, number>>((resolve) =>
      socket.addEventListener('message', (event) => {
        const message = JSON.parse(String(event.data)) as { id?: number; result?: object };
        if (message.id === methods.length) resolve(message.result as Record<string, number>);
      }),
    );
    methods.forEach((method, i) => {
      socket.send(JSON.stringify({ id: i + 1, method }));
    });
    return await answer;
  } finally {
    socket.close();
  }
}

/**
 * The bytes of JavaScript heap one Worker's isolate uses after a full garbage collection, read
 * through workerd's inspector (the run needs `inspectorPort: 0`). Locally a Worker's Durable
 * Objects live in its isolate too.
 */
export async function isolateHeapBytes(miniflare: Miniflare, worker: string): Promise<number> {
  const inspector = new URL((await miniflare.getInspectorURL()).href.replace(/^ws/, 'http'));
  const targets = (await (
    await fetch(new URL('/json/list', inspector))
  ).json()) as InspectorTarget[];
  const target = targets.find((candidate) => candidate.id.endsWith(`:${worker}`));
  if (!target)
    throw new Error(`no isolate of ${worker} among ${targets.map((t) => t.id).join(', ')}`);
  const usage = await inspect(target.webSocketDebuggerUrl, [
    'HeapProfiler.collectGarbage',
    'Runtime.getHeapUsage',
  ]);
  return usage.usedSize ?? 0;
}
