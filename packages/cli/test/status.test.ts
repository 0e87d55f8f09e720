import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { NodeStatus, SiteStatus } from '@wp-edge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshState } from './run-cli.ts';

let state: Awaited<ReturnType<typeof freshState>>;
let edge: {
  port: number;
  url: string;
  requests: { host: string; authorization: string }[];
  close(): Promise<void>;
};

const AT = '2026-12-01T23:50:00.000Z';

function node(id: string, up: boolean): NodeStatus {
  return {
    id,
    role: id.endsWith('-a') ? 'primary' : 'secondary',
    weight: 100,
    up,
    since: AT,
    reason: up
      ? 'up after 3 good checks (heartbeat: heartbeat ok)'
      : 'down after 3 failed checks (heartbeat: database: connection refused)',
    lastHeartbeat: AT,
    heartbeatAgeSeconds: 4,
    lag: { entries: up ? 0 : 12, seconds: up ? 0 : 340 },
    quarantined: 0,
    viewsCopiedAt: null,
    content: up
      ? { generation: '20261201T234500000Z-node-a', ageSeconds: 300 }
      : { generation: null, ageSeconds: null },
    changes: up
      ? []
      : [
          {
            at: AT,
            up: false,
            reason: 'down after 3 failed checks (heartbeat: database: connection refused)',
          },
        ],
  };
}

/** What the router answers at /__wp-edge/status.json (the contract in core), per site host. */
function answer(site: string, downNode?: string): SiteStatus {
  const nodes = [node(`${site}-a`, true), node(`${site}-b`, downNode !== `${site}-b`)];
  return {
    site,
    generatedAt: AT,
    healthy: nodes.every((one) => one.up),
    nodes,
    alerts: [],
    deliveryFailures: downNode
      ? [
          {
            at: AT,
            host: 'hooks.slack.com',
            event: 'node.down',
            error: 'answered 404',
            attempt: 1,
            gaveUp: false,
          },
        ]
      : [],
    figures: [],
    comments: { held: 0, latestHeld: [] },
    views: null,
  };
}

/** An edge stand-in on loopback answering the status contract for `healthy.example` and `sick.example`. */
async function standInEdge() {
  const requests: { host: string; authorization: string }[] = [];
  const server = createServer((request, response) => {
    const host = request.headers.host ?? '';
    requests.push({ host, authorization: request.headers.authorization ?? '' });
    if (request.url !== '/__wp-edge/status.json' || !request.headers.authorization) {
      response.writeHead(401).end('{"detail":"no credentials"}');
      return;
    }
    const site = host.split('.')[0] ?? '';
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(answer(site, site === 'sick' ? 'sick-b' : undefined)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  state = await freshState();
  edge = await standInEdge();
  for (const site of ['healthy', 'sick']) {
    await state.cli('sites', 'add', site, '--host', `${site}.example`);
    await state.cli(
      'nodes',
      'add',
      site,
      `${site}-a`,
      '--origin',
      'http://127.0.0.2:8081',
      '--role',
      'primary',
    );
  }
});
afterAll(async () => {
  await edge?.close();
  await state?.cleanup();
});

describe('wp-edge status', () => {
  it('prints every node of a healthy site and exits 0, asking the edge with a short-lived token it issued', async () => {
    const run = await state.cli('status', 'healthy', '--edge-url', edge.url);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'healthy: all 2 nodes up (as of 2026-12-01 23:50 UTC)',
        'NODE       ROLE       STATE  SINCE                 HEARTBEAT  LAG             QUARANTINED  VIEWS COPIED  CONTENT                                 REASON',
        'healthy-a  primary    up     2026-12-01 23:50 UTC  4 s ago    0 entries, 0 s  0            -             20261201T234500000Z-node-a (300 s old)  up after 3 good checks (heartbeat: heartbeat ok)',
        'healthy-b  secondary  up     2026-12-01 23:50 UTC  4 s ago    0 entries, 0 s  0            -             20261201T234500000Z-node-a (300 s old)  up after 3 good checks (heartbeat: heartbeat ok)',
        '',
        '',
      ].join('\n'),
    );
    const request = edge.requests.at(-1);
    expect(request?.host).toBe('healthy.example');
    const token = request?.authorization.replace(/^Bearer /, '') ?? '';
    const hash = createHash('sha256').update(token).digest('hex');
    const [stored] = await state.query(
      `SELECT site_id, label, expires_at - created_at AS lifetime FROM status_tokens WHERE token_hash = '${hash}'`,
    );
    expect(stored).toEqual({ site_id: 'healthy', label: 'wp-edge status', lifetime: 900_000 });
  });

  it('exits 2 when a node is down, with its reason, the last changes and failed alert deliveries', async () => {
    const run = await state.cli('status', 'sick', '--edge-url', edge.url);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('sick: 1 of 2 nodes down');
    expect(run.stdout).toMatch(
      /sick-b\s+secondary\s+DOWN\s+.*12 entries, 340 s.*database: connection refused/,
    );
    expect(run.stdout).toContain(
      'last health changes:\n  2026-12-01 23:50 UTC  sick-b down: down after 3 failed checks (heartbeat: database: connection refused)',
    );
    expect(run.stdout).toContain(
      'alert deliveries that failed:\n  2026-12-01 23:50 UTC  node.down to hooks.slack.com: answered 404',
    );
  });

  it('prints one JSON document per site with --json, every site when none is named', async () => {
    const run = await state.cli('status', '--json', '--edge-url', edge.url);
    expect(run.code).toBe(2);
    const documents = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as SiteStatus);
    expect(documents.map((one) => [one.site, one.healthy])).toEqual([
      ['healthy', true],
      ['sick', false],
    ]);
  });

  it('asks the local edge on PORT, with the site’s host name, when no --edge-url is given', async () => {
    const run = await state.cliWithEnv({ PORT: String(edge.port) }, 'status', 'sick');
    expect(run.code).toBe(2);
    expect(edge.requests.at(-1)?.host).toBe('sick.example');
  });

  it('says what is wrong when the edge cannot be reached, and exits 1', async () => {
    const run = await state.cli('status', 'healthy', '--edge-url', 'http://127.0.0.81:9');
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toMatch(/^wp-edge: cannot reach the edge at http:\/\/127\.0\.0\.81:9: /);
  });

  it('refreshes with --watch until stopped', async () => {
    const child = spawn(
      process.execPath,
      [
        path.resolve(import.meta.dirname, '../bin/wp-edge.js'),
        '--state',
        state.dir,
        'status',
        'healthy',
        '--watch',
        '1',
        '--edge-url',
        edge.url,
      ],
      { env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    await expect
      .poll(() => stdout.split('healthy: all 2 nodes up').length - 1, {
        timeout: 45_000,
        interval: 250,
      })
      .toBeGreaterThanOrEqual(2);
    child.kill('SIGINT');
    expect(stdout).toContain('\x1b[2J\x1b[H');
  });

  it('issues a status page token shown once and kept as its SHA-256, and revokes them', async () => {
    const issued = await state.cli('status', 'token', 'healthy', '--label', 'phone');
    expect(issued.code).toBe(0);
    const token = issued.stdout.trim();
    expect(token).toMatch(/^wpe_status_[0-9a-f]{64}$/);
    const hash = createHash('sha256').update(token).digest('hex');
    expect(
      await state.query(
        `SELECT site_id, label, expires_at FROM status_tokens WHERE token_hash = '${hash}'`,
      ),
    ).toEqual([{ site_id: 'healthy', label: 'phone', expires_at: null }]);
    expect(
      (await state.query(`SELECT * FROM status_tokens WHERE token_hash = '${token}'`)).length,
    ).toBe(0);
    const revoked = await state.cli('status', 'token', 'healthy', '--revoke');
    expect(revoked.stdout).toMatch(/^revoked \d+ status tokens of healthy\n$/);
    expect(await state.query("SELECT * FROM status_tokens WHERE site_id = 'healthy'")).toEqual([]);
  });
});
