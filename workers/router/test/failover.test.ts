import { exports } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { type Node, provisionSite } from './provisioned-site.ts';

const nodeA = (weight = 100): Node => ({
  id: 'a',
  originUrl: inject('originUrl'),
  role: 'primary',
  weight,
});
const nodeB = (weight = 100): Node => ({
  id: 'b',
  originUrl: inject('secondOriginUrl'),
  role: 'secondary',
  weight,
});
const dead = (role: Node['role'], weight = 100): Node => ({
  id: `dead-${role}`,
  originUrl: 'http://127.0.0.9:9',
  role,
  weight,
});

/** The site `<id>.example` with these nodes, each named after the site (node ids are unique across sites). */
async function site(id: string, nodes: Node[]): Promise<string> {
  await provisionSite(
    id,
    nodes.map((node) => ({ ...node, id: `${id}-${node.id}` })),
  );
  return `https://${id}.example`;
}

async function servedBy(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; node: string | null }> {
  const response = await exports.default.fetch(url, { redirect: 'manual', ...init });
  await response.arrayBuffer();
  return { status: response.status, node: response.headers.get('x-origin') };
}

describe('sending readers to any node and editors to the primary', () => {
  it('spreads anonymous reads over the nodes by weight', async () => {
    const base = await site('spread', [nodeA(), nodeB()]);
    const nodes = new Set<string | null>();
    for (let i = 0; i < 40; i++) nodes.add((await servedBy(`${base}/page-${i}/`)).node);
    expect(nodes).toEqual(new Set(['a', 'b']));
  });

  it.each([
    ['/wp-admin/', {}],
    ['/wp-login.php', {}],
    ['/hello-world/', { cookie: 'wordpress_logged_in_abc=ann' }],
    ['/hello-world/?p=1&preview=true', {}],
  ])('sends %s %j to the primary every time', async (path, headers) => {
    const base = await site(`primary-${path.length}-${Object.keys(headers).length}`, [
      nodeA(),
      nodeB(),
    ]);
    for (let i = 0; i < 10; i++)
      expect((await servedBy(`${base}${path}`, { headers })).node).toBe('a');
  });

  it('sends writes to the primary', async () => {
    const base = await site('writes-go-primary', [nodeA(), nodeB(1000)]);
    for (let i = 0; i < 5; i++) {
      expect(
        (await servedBy(`${base}/wp-admin/admin-ajax.php`, { method: 'POST', body: 'action=x' }))
          .node,
      ).toBe('a');
    }
  });
});

describe('failover', () => {
  it('answers every read when one node is dead', async () => {
    const base = await site('one-dead', [dead('primary'), nodeB()]);
    for (let i = 0; i < 30; i++)
      expect(await servedBy(`${base}/post-${i}/`)).toEqual({ status: 200, node: 'b' });
  });

  it('tries another node when one answers a read with a server error', async () => {
    const base = await site('flaky', [nodeA(1000), { ...nodeB(1), role: 'secondary' }]);
    for (let i = 0; i < 10; i++)
      expect(await servedBy(`${base}/flaky/${i}`)).toEqual({ status: 200, node: 'b' });
  });

  it('tries another node when one takes more than 10 s to answer a read', async () => {
    const base = await site('slow', [nodeA(1000), { ...nodeB(1), role: 'secondary' }]);
    expect(await servedBy(`${base}/slow/page/`)).toEqual({ status: 200, node: 'b' });
  });

  it('gives admin a maintenance page while the primary is dead, and reads go on', async () => {
    const base = await site('primary-dead', [dead('primary'), nodeB()]);
    const admin = await exports.default.fetch(`${base}/wp-admin/`, {
      headers: { accept: 'text/html' },
    });
    expect(admin.status).toBe(503);
    expect(admin.headers.get('retry-after')).toBe('30');
    expect(await admin.text()).toContain('Reading the site works as usual');
    const api = await exports.default.fetch(`${base}/wp-admin/admin-ajax.php`, { method: 'POST' });
    expect(api.status).toBe(503);
    expect(api.headers.get('content-type')).toBe('application/problem+json');
    expect(await servedBy(`${base}/`)).toEqual({ status: 200, node: 'b' });
  });

  it('loses no anonymous read when a node dies under load', async () => {
    const doomed: Node = {
      id: 'c',
      originUrl: inject('doomedOriginUrl'),
      role: 'secondary',
      weight: 100,
    };
    const base = await site('under-load', [nodeB(), doomed]);
    let sent = 0;
    let killedBy = Number.POSITIVE_INFINITY;
    const answers: { sent: number; status: number; node: string | null }[] = [];
    const client = async () => {
      while (sent < 300) {
        const seq = ++sent;
        if (seq === 100) {
          await fetch(`${inject('doomedOriginUrl')}/kill`).catch(() => undefined);
          killedBy = sent;
        }
        answers.push({ sent: seq, ...(await servedBy(`${base}/post-${seq}/`)) });
      }
    };
    await Promise.all(Array.from({ length: 10 }, client));
    expect(answers.length).toBeGreaterThanOrEqual(300);
    expect(answers.filter(({ status }) => status !== 200)).toEqual([]);
    // Both nodes served readers until the kill; every read sent after it was served by b.
    const before = new Set(answers.filter((answer) => answer.sent < 100).map(({ node }) => node));
    expect(before).toEqual(new Set(['b', 'c']));
    const after = answers.filter((answer) => answer.sent > killedBy);
    expect(after.length).toBeGreaterThan(100);
    expect(after.filter(({ node }) => node !== 'b')).toEqual([]);
    await expect(fetch(`${inject('doomedOriginUrl')}/still-there`)).rejects.toThrow();
  });
});
