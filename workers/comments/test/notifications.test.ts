import { env } from 'cloudflare:workers';
import { commentLog, comments } from '@wp-edge/core/db';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { describe, expect, inject, it, vi } from 'vitest';
import { createBlog } from './blog.ts';
import { receivedAt } from './received.ts';

describe('telling the site owner about new comments', () => {
  it('sends plain JSON, Slack and Telegram bodies to the site’s webhooks', async () => {
    const base = inject('webhookBase');
    const blog = await createBlog('notify', {
      webhooks: [
        { url: `${base}/notify/json` },
        { url: `${base}/notify/slack`, format: 'slack' },
        { url: `${base}/notify/telegram`, format: 'telegram', chatId: '-100123' },
      ],
    });
    await blog.form({ author: 'Cy', comment: 'Lovely photos' });
    const received = await receivedAt('/notify/', 3);
    const body = (path: string) =>
      JSON.parse(received.find((hook) => hook.path === path)?.body ?? '{}');
    expect(body('/notify/json')).toMatchObject({
      event: 'comment.created',
      site: 'notify',
      permalink: 'https://notify.example/hello-world/',
      comment: { author: 'Cy', content: 'Lovely photos', status: 'approved' },
    });
    expect(body('/notify/slack').text).toContain(
      'New comment by Cy on https://notify.example/hello-world/',
    );
    expect(body('/notify/telegram')).toMatchObject({
      chat_id: '-100123',
      text: expect.stringContaining('Lovely photos'),
    });
  });

  it('retries a webhook that fails, and the comment is stored all the same', async () => {
    const base = inject('webhookBase');
    const blog = await createBlog('notify-retry', {
      webhooks: [{ url: `${base}/fail-once/notify-retry` }],
    });
    const response = await blog.form({ comment: 'Stored first' });
    expect(response.status).toBe(302);
    const id = new URL(response.headers.get('location') ?? '').searchParams.get('wp_edge_comment');
    const [delivered] = await receivedAt('/fail-once/notify-retry', 1);
    expect(JSON.parse(delivered?.body ?? '{}').comment.content).toBe('Stored first');
    const db = drizzle(env.DB);
    const stored = await db.select().from(comments).where(eq(comments.siteId, 'notify-retry'));
    expect(stored.map((comment) => [comment.id, comment.content])).toEqual([[id, 'Stored first']]);
    const logged = await db.select().from(commentLog).where(eq(commentLog.siteId, 'notify-retry'));
    expect(logged.map((entry) => [entry.commentId, entry.type])).toEqual([[id, 'created']]);
  });

  it('escapes <, > and & in Slack bodies, so a comment cannot ping the channel or plant a link', async () => {
    const base = inject('webhookBase');
    const blog = await createBlog('notify-slack-escape', {
      webhooks: [{ url: `${base}/notify-escape/slack`, format: 'slack' }],
    });
    // Markup WordPress keeps in a comment (kses allows <b> and <a>) reaches Slack escaped.
    await blog.form({ comment: '<b>Ping</b> me & <a href="https://evil.example">you</a>' });
    const [slack] = await receivedAt('/notify-escape/', 1);
    const text: string = JSON.parse(slack?.body ?? '{}').text;
    expect(text).toContain('&lt;b&gt;Ping&lt;/b&gt; me &amp;');
    expect(text).toContain('&lt;a href="https://evil.example"');
    expect(text).not.toMatch(/[<>]|&(?!amp;|lt;|gt;)/);
  });

  it('never logs a failing webhook’s URL, which carries the Slack or Telegram secret', async () => {
    const base = inject('webhookBase');
    const secretPath = '/fail-once/bot123456:SECRET-BOT-TOKEN/sendMessage';
    const lines: string[] = [];
    const capture = (...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    };
    const spies = [
      vi.spyOn(console, 'warn').mockImplementation(capture),
      vi.spyOn(console, 'log').mockImplementation(capture),
      vi.spyOn(console, 'error').mockImplementation(capture),
    ];
    try {
      const blog = await createBlog('notify-secret', {
        webhooks: [{ url: `${base}${secretPath}`, format: 'telegram', chatId: '-1' }],
      });
      await blog.form({ comment: 'Secret-keeping' });
      await receivedAt(secretPath, 1);
      expect(lines.some((line) => line.includes('webhook failed'))).toBe(true);
      expect(lines.filter((line) => line.includes('SECRET-BOT-TOKEN'))).toEqual([]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('tells only of held comments when the site asks for that', async () => {
    const base = inject('webhookBase');
    const blog = await createBlog('notify-held', {
      notify: 'held',
      maxLinks: 0,
      webhooks: [{ url: `${base}/held-only` }],
    });
    await blog.form({ comment: 'No links, approved' });
    await blog.form({ comment: 'One link https://x.example, held' });
    const [only] = await receivedAt('/held-only', 1);
    expect(JSON.parse(only?.body ?? '{}').comment.status).toBe('held');
  });
});
