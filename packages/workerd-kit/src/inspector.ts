import type { Miniflare } from 'miniflare';

interface InspectorTarget {
  id: string;
  webSocketDebuggerUrl: string;
}

/** A DevTools protocol connection to one Worker's isolate in workerd (the run needs `inspectorPort: 0`). */
export interface InspectorSession {
  send<T = Record<string, unknown>>(method: string, params?: object): Promise<T>;
  close(): void;
}

/** Opens a DevTools protocol session on the isolate of `worker` (its name in the Miniflare run). */
export async function inspectWorker(
  miniflare: Miniflare,
  worker: string,
): Promise<InspectorSession> {
  const inspector = new URL((await miniflare.getInspectorURL()).href.replace(/^ws/, 'http'));
  const targets = (await (
    await fetch(new URL('/json/list', inspector))
  ).json()) as InspectorTarget[];
  const target = targets.find((candidate) => candidate.id.endsWith(`:${worker}`));
  if (!target)
    throw new Error(`no isolate of ${worker} among ${targets.map((t) => t.id).join(', ')}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve);
    socket.addEventListener('error', reject);
  });
  const waiting = new Map<number, (message: { result?: unknown; error?: unknown }) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as {
      id?: number;
      result?: unknown;
      error?: unknown;
    };
    if (message.id !== undefined) waiting.get(message.id)?.(message);
    waiting.delete(message.id ?? -1);
  });
  let lastId = 0;
  return {
    send: <T>(method: string, params: object = {}) =>
      new Promise<T>((resolve, reject) => {
        const id = ++lastId;
        waiting.set(id, ({ result, error }) =>
          error ? reject(new Error(`${method}: ${JSON.stringify(error)}`)) : resolve(result as T),
        );
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}
