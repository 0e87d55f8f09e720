import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryReplayGuard, verifyRequest } from '@wp-edge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshState } from './run-cli.ts';

let state: Awaited<ReturnType<typeof freshState>>;

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An edge stand-in on 127.0.0.80 that records what it is sent and answers like the router. */
async function fakeEdge() {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      });
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ purged: 'site' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.80', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.80:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  state = await freshState();
});
afterAll(() => state.cleanup());

describe('wp-edge purge', () => {
  it('purges the whole site with one request signed by the primary’s current key', async () => {
    await state.cli('sites', 'add', 'purged', '--host', 'purged.example');
    await state.cli('nodes', 'add', 'purged', 'purged-b', '--origin', 'http://127.0.0.3:8081');
    await state.cli(
      'nodes',
      'add',
      'purged',
      'purged-a',
      '--origin',
      'http://127.0.0.2:8081',
      '--role',
      'primary',
    );
    const primary = JSON.parse((await state.cli('nodes', 'agent-config', 'purged-a')).stdout);
    const edge = await fakeEdge();
    try {
      const run = await state.cli('purge', 'purged', '--edge-url', edge.url);
      expect(run).toMatchObject({ code: 0, stdout: '{"purged":"site"}\n', stderr: '' });
      expect(edge.received).toHaveLength(1);
      const [request] = edge.received;
      expect(request).toMatchObject({ method: 'POST', url: '/agent/purge', body: '{}' });
      const headers = new Headers(
        Object.entries(request?.headers ?? {}).map(([name, value]) => [name, String(value)]),
      );
      const verified = await verifyRequest(
        { method: 'POST', url: `${edge.url}/agent/purge`, headers, body: request?.body ?? '' },
        {
          findKey: async (keyId) =>
            keyId === primary.keyId ? { keyId, secret: primary.secret } : undefined,
          replayGuard: new MemoryReplayGuard(),
        },
      );
      expect(verified).toMatchObject({ ok: true });
    } finally {
      await edge.close();
    }
  });

  it('says what to do when the site has no node to sign with', async () => {
    await state.cli('sites', 'add', 'bare', '--host', 'bare.example');
    const run = await state.cli('purge', 'bare', '--edge-url', 'http://127.0.0.80:9');
    expect(run).toMatchObject({
      code: 1,
      stderr:
        'wp-edge: site bare has no node with a current key; add one with: npx wp-edge nodes add\n',
    });
  });
});
