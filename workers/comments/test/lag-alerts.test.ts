import { env } from 'cloudflare:workers';
import { SiteSettings } from '@wp-edge/core';
import { drizzle } from 'drizzle-orm/d1';
import { describe, expect, inject, it } from 'vitest';
import { checkLag } from '../src/agent/lag-alerts.ts';
import { runScheduled } from '../src/scheduled.ts';
import { answered, createBlog } from './blog.ts';

const MINUTE_MS = 60_000;

describe('telling the owner when a node falls behind the comment log', () => {
  it('says so once when a node leaves an entry unapplied too long, and once when it catches up', async () => {
    const webhook = `${inject('webhookBase')}/lag/json`;
    const blog = await createBlog('lagging');
    const settings = SiteSettings.parse({
      comments: { lagAlertMinutes: 15, webhooks: [{ url: webhook }] },
    });
    await env.DB.prepare('UPDATE sites SET settings = ? WHERE id = ?')
      .bind(JSON.stringify(settings), 'lagging')
      .run();
    for (let i = 0; i < 2; i++) await blog.api({ content: `Waiting ${i}` });
    const { head } = answered(await blog.primary.comments());
    await blog.primary.ack(head);
    await blog.secondary.ack(0);
    await env.DB.prepare('UPDATE comment_log SET created_at = ? WHERE site_id = ?')
      .bind(Date.now() - 20 * MINUTE_MS, 'lagging')
      .run();

    await runScheduled(env, '*/5 * * * *');
    await expect
      .poll(
        async () =>
          (await (await fetch(`${inject('webhookBase')}/received?path=/lag/`)).json()) as {
            body: string;
          }[],
        { timeout: 20_000, interval: 200 },
      )
      .toEqual([
        expect.objectContaining({
          body: expect.stringContaining(
            '"event":"node.behind","site":"lagging","node":"lagging-b","behind":2',
          ),
        }),
      ]);
    const db = drizzle(env.DB);
    expect(await checkLag(db, Date.now())).toEqual([]);
    await blog.secondary.ack(head);
    expect(await checkLag(db, Date.now())).toEqual([
      expect.objectContaining({ kind: 'node-caught-up', nodeId: 'lagging-b', behind: 0 }),
    ]);
    expect(await checkLag(db, Date.now())).toEqual([]);
  });
});
