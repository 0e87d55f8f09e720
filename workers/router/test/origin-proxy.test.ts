import { describe, expect, inject, it } from 'vitest';
import { NodeUnreachable, proxyToNode } from '../src/origin-proxy.ts';

const node = () =>
  ({ id: 'a', originUrl: inject('originUrl'), role: 'primary', weight: 100 }) as const;

describe('a request to a node', () => {
  it('gives up on a node that has not answered within the timeout', async () => {
    await expect(
      proxyToNode(new Request('https://proxy.example/slow/page/'), node(), undefined, 300),
    ).rejects.toBeInstanceOf(NodeUnreachable);
  });

  it('lets an answer that came in time stream its body for as long as it takes', async () => {
    const response = await proxyToNode(
      new Request('https://proxy.example/trickle'),
      node(),
      undefined,
      300,
    );
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body.split('\n').filter(Boolean)).toHaveLength(10);
    expect(body).toContain('line 9');
  });
});
