import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentMetricsConfig } from '@wp-edge/core';
import type { Registry } from 'prom-client';
import { AgentConfigError } from '../config.ts';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves the registry at `GET /metrics` on the configured address (loopback by default).
 * Fails with a message naming the setting when the address cannot be taken.
 */
export function serveMetrics(
  registry: Registry,
  config: AgentMetricsConfig,
): Promise<MetricsServer> {
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://agent').pathname;
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('metrics are at GET /metrics\n');
      return;
    }
    const body = await registry.metrics();
    response.writeHead(200, { 'content-type': registry.contentType });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new AgentConfigError(
          `cannot serve metrics on ${config.host}:${config.port} (${error.code}); set metrics.port (WP_EDGE_METRICS_PORT) to a free port, or 0 to turn metrics off`,
        ),
      ),
    );
    server.listen(config.port, config.host, () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}
