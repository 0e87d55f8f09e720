import { describe, expect, inject, it } from 'vitest';
import { deliver, received } from './alert-deliveries.ts';
import { heartbeat, registry, signedSite } from './heartbeats.ts';

const fast = { fall: 1, rise: 1 };

describe('alerts to the site’s webhooks', () => {
  it('tells of a node going down once, with its reason, and once when it is back up', async () => {
    const hooks = `${inject('receiverBase')}/hooks/node-down/`;
    const { host, b } = await signedSite('node-down', {
      health: fast,
      comments: { webhooks: [{ url: hooks }] },
    });
    await heartbeat(host, b.id, { databaseOk: false });
    await deliver('node-down');
    await heartbeat(host, b.id, { databaseOk: false });
    await deliver('node-down');
    expect(await received('/hooks/node-down/')).toEqual([
      expect.objectContaining({
        event: 'node.down',
        site: 'node-down',
        node: b.id,
        detail: 'down after 1 failed checks (heartbeat: database: connection refused)',
      }),
    ]);
    await heartbeat(host, b.id);
    await deliver('node-down');
    expect((await received('/hooks/node-down/')).map((hook) => hook.event)).toEqual([
      'node.down',
      'node.up',
    ]);
  });

  it('tells of the primary down with admin on the standby, then every node down, each recovering once', async () => {
    const base = inject('receiverBase');
    const { host, a, b } = await signedSite('failing-over', {
      health: fast,
      failover: { standbyNode: 'failing-over-b' },
      comments: { webhooks: [{ url: `${base}/hooks/failing-over/`, format: 'slack' }] },
      alerts: {
        email: {
          url: `${base}/email/failing-over`,
          from: 'edge@blog.example',
          to: ['owner@blog.example'],
          apiKey: 'email-key',
        },
      },
    });
    await heartbeat(host, a.id, { databaseOk: false });
    await deliver('failing-over');
    expect((await received('/hooks/failing-over/')).map((hook) => hook.text)).toEqual([
      'wp-edge: node failing-over-a of failing-over is down: down after 1 failed checks (heartbeat: database: connection refused).',
      'wp-edge: the primary failing-over-a of failing-over is down; admin, logins and writes go to the standby failing-over-b.',
    ]);
    await heartbeat(host, b.id, { databaseOk: false });
    await deliver('failing-over');
    expect((await received('/hooks/failing-over/')).slice(2).map((hook) => hook.text)).toEqual([
      'wp-edge: node failing-over-b of failing-over is down: down after 1 failed checks (heartbeat: database: connection refused).',
      'wp-edge: every node of failing-over is down; readers get the edge cache’s stale copies where it has them.',
    ]);
    await heartbeat(host, a.id);
    await heartbeat(host, b.id);
    await deliver('failing-over');
    const texts = (await received('/hooks/failing-over/')).slice(4).map((hook) => hook.text);
    expect(texts).toHaveLength(4);
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^wp-edge: node failing-over-a of failing-over is up again/),
        expect.stringMatching(/^wp-edge: node failing-over-b of failing-over is up again/),
        expect.stringMatching(/^wp-edge: the primary failing-over-a of failing-over is back/),
        expect.stringMatching(
          /^wp-edge: failing-over has a node up again; readers get fresh pages/,
        ),
      ]),
    );
    const emails = await received('/email/failing-over');
    expect(emails).toHaveLength(8);
    expect(emails[1]).toEqual({
      from: 'edge@blog.example',
      to: ['owner@blog.example'],
      subject:
        'wp-edge: the primary failing-over-a of failing-over is down; admin, logins and writes go to the standby failing-over-b.',
      text: 'wp-edge: the primary failing-over-a of failing-over is down; admin, logins and writes go to the standby failing-over-b.',
    });
  });

  it('tells of the primary down with admin on the maintenance page when there is no standby', async () => {
    const { host, a } = await signedSite('lone-primary', {
      health: fast,
      comments: { webhooks: [{ url: `${inject('receiverBase')}/hooks/lone-primary/` }] },
    });
    await heartbeat(host, a.id, { databaseOk: false });
    await deliver('lone-primary');
    expect(await received('/hooks/lone-primary/')).toEqual([
      expect.objectContaining({ event: 'node.down' }),
      expect.objectContaining({
        event: 'primary.down',
        node: a.id,
        detail: 'admin, logins and writes get the maintenance page',
      }),
    ]);
  });

  it('tells once when a node’s quarantine starts growing, and once when it is empty again', async () => {
    const { host, b } = await signedSite('quarantining', {
      comments: { webhooks: [{ url: `${inject('receiverBase')}/hooks/quarantining/` }] },
    });
    await heartbeat(host, b.id, { quarantined: 0 });
    await heartbeat(host, b.id, { quarantined: 2 });
    await deliver('quarantining');
    await heartbeat(host, b.id, { quarantined: 3 });
    await deliver('quarantining');
    expect(await received('/hooks/quarantining/')).toEqual([
      expect.objectContaining({
        event: 'quarantine.growing',
        node: b.id,
        detail: '2 comment-log events set aside in wp_edge_quarantine',
      }),
    ]);
    await heartbeat(host, b.id, { quarantined: 0 });
    await deliver('quarantining');
    expect((await received('/hooks/quarantining/')).map((hook) => hook.event)).toEqual([
      'quarantine.growing',
      'quarantine.cleared',
    ]);
  });

  it('records a webhook that fails, since that cannot be told by webhook, and tries it again later', async () => {
    const { host, b } = await signedSite('broken-hook', {
      health: fast,
      comments: { webhooks: [{ url: `${inject('receiverBase')}/down/hook?secret=x` }] },
    });
    await heartbeat(host, b.id, { databaseOk: false });
    await deliver('broken-hook');
    const status = await registry('broken-hook').status(0);
    expect(status.deliveryFailures).toEqual([
      {
        at: expect.any(String),
        host: new URL(inject('receiverBase')).host,
        event: 'node.down',
        error: 'answered 503',
        attempt: 1,
        gaveUp: false,
      },
    ]);
    expect(status.alerts).toEqual([
      expect.objectContaining({ kind: 'node-down', nodeId: b.id, openedAt: expect.any(String) }),
    ]);
  });
});
