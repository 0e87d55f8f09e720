import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentMetrics } from './agent-metrics.ts';
import { type MetricsServer, serveMetrics } from './metrics-server.ts';

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the metrics endpoint', () => {
  it('serves the registry in the Prometheus text format at /metrics only', async () => {
    const metrics = createAgentMetrics();
    metrics.commentEventsApplied.inc(7);
    server = await serveMetrics(metrics.registry, { host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${server.port}`;
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('wp_edge_agent_comment_events_applied_total 7');
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(404);
  });

  it('names the setting to change when its port is taken', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await expect(
        serveMetrics(createAgentMetrics().registry, { host: '127.0.0.1', port }),
      ).rejects.toThrow(
        `cannot serve metrics on 127.0.0.1:${port} (EADDRINUSE); set metrics.port (WP_EDGE_METRICS_PORT) to a free port, or 0 to turn metrics off`,
      );
    } finally {
      taken.close();
    }
  });
});
