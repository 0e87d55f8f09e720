import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Bytes of request and response bodies on the content sync's routes (`/agent/sync/*`). */
export interface SyncTraffic {
  sent: number;
  received: number;
}

/**
 * A loopback proxy in front of the edge for one agent, counting what that agent sends to and
 * gets from the sync API; everything else passes through uncounted.
 */
export async function countingProxy(target: URL): Promise<{
  url: string;
  traffic: SyncTraffic;
  close(): Promise<void>;
}> {
  const traffic: SyncTraffic = { sent: 0, received: 0 };
  const server = createServer((incoming, outgoing) => {
    const counted = incoming.url?.startsWith('/agent/sync/') ?? false;
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        if (counted)
          answer.on('data', (data: Buffer) => {
            traffic.received += data.length;
          });
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', (error) => outgoing.destroy(error));
    if (counted)
      incoming.on('data', (data: Buffer) => {
        traffic.sent += data.length;
      });
    incoming.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    traffic,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
