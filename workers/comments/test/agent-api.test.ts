import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { AGENT_PROBLEM, type CommentPage, type CommentsQuery } from '@wp-edge/core';
import { comments } from '@wp-edge/core/db';
import { drizzle } from 'drizzle-orm/d1';
import { describe, expect, it, vi } from 'vitest';
import { pruneLogs } from '../src/agent/log-retention.ts';
import worker from '../src/index.ts';
import { answered, type Blog, createBlog, type NodeAgent } from './blog.ts';

async function pull(
  blog: Blog,
  query: Partial<CommentsQuery>,
  node: NodeAgent = blog.secondary,
): Promise<CommentPage> {
  return answered(await node.comments(query));
}

async function postComments(blog: Blog, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const answer = (await (await blog.api({ content: `Comment ${i}` })).json()) as { id: string };
    ids.push(answer.id);
  }
  return ids;
}

describe('pulling the comment log', () => {
  it('gives every node the comments after its cursor, in order, with every field', async () => {
    const blog = await createBlog('pull');
    const ids = await postComments(blog, 3);
    const all = await pull(blog, { after: 0 });
    expect(all.events.map((event) => event.type === 'created' && event.comment.id)).toEqual(ids);
    expect(all.events[0]).toMatchObject({
      type: 'created',
      comment: {
        postId: 1,
        author: 'Ann',
        authorEmail: 'ann@example.com',
        content: 'Comment 0',
        status: 'approved',
        parentWpId: 0,
      },
    });
    expect(all.head).toBe(all.next);
    const rest = await pull(blog, { after: all.events[0]?.seq ?? 0 }, blog.primary);
    expect(rest.events.map((event) => event.seq)).toEqual(
      all.events.slice(1).map((event) => event.seq),
    );
  });

  it('pages with limit and tells how far the log goes', async () => {
    const blog = await createBlog('pull-limit');
    await postComments(blog, 3);
    const first = await pull(blog, { after: 0, limit: 2 });
    expect(first.events).toHaveLength(2);
    expect(first.head).toBeGreaterThan(first.next);
    const second = await pull(blog, { after: first.next, limit: 2 });
    expect(second.events).toHaveLength(1);
    expect(second.next).toBe(second.head);
  });

  it('shows a node only its own site’s comments', async () => {
    const mine = await createBlog('pull-mine');
    const other = await createBlog('pull-other');
    await postComments(other, 2);
    expect((await pull(mine, { after: 0 })).events).toEqual([]);
  });

  it('answers a waiting pull as soon as a comment arrives', async () => {
    const blog = await createBlog('long-poll');
    const head = (await pull(blog, { after: 0 })).head;
    const waiting = pull(blog, { after: head, wait: 10 });
    let answered = false;
    void waiting.then(() => {
      answered = true;
    });
    // A head start for the pull to reach the feed and wait there.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);
    const [id] = await postComments(blog, 1);
    const postedAt = Date.now();
    const page = await waiting;
    expect(Date.now() - postedAt).toBeLessThan(2_000);
    expect(page.events.map((event) => event.type === 'created' && event.comment.id)).toEqual([id]);
  });

  it('tells the feed the newest of many comments posted at once', async () => {
    const blog = await createBlog('long-poll-burst');
    const posted = await Promise.all(
      Array.from({ length: 12 }, (_, i) => blog.api({ content: `Burst ${i}` })),
    );
    expect(posted.map((response) => response.status)).toEqual(Array(12).fill(201));
    const { head } = await pull(blog, { after: 0 });
    // A pull waiting beyond the entry before the newest is answered by the feed, not by D1.
    const feed = env.COMMENT_FEED.get(env.COMMENT_FEED.idFromName(blog.primary.caller.siteId));
    await vi.waitFor(async () => expect(await feed.waitBeyond(head - 1, 50)).toBe(head));
  });

  it('answers a waiting pull with nothing when nothing arrives in time', async () => {
    const blog = await createBlog('long-poll-idle');
    expect(await pull(blog, { after: 0, wait: 1 })).toEqual({ events: [], next: 0, head: 0 });
  });
});

describe('acknowledgements, catalog and moderation', () => {
  it('records a node’s cursor and answers how far behind it is', async () => {
    const blog = await createBlog('cursor');
    await postComments(blog, 3);
    const { events } = await pull(blog, { after: 0 });
    const answer = answered(await blog.secondary.ack(events[0]?.seq ?? 0));
    expect(answer).toEqual({ cursor: events[0]?.seq, lag: 2 });
    const row = await env.DB.prepare(
      "SELECT cursor FROM node_cursors WHERE node_id = 'cursor-b'",
    ).first();
    expect(row).toEqual({ cursor: events[0]?.seq });
  });

  it('records a page’s 1,000 locations, a later report of an id overwriting the earlier', async () => {
    const blog = await createBlog('locations');
    const applied = Array.from({ length: 1000 }, (_, i) => ({
      commentId: `EDGE${String(i).padStart(22, '0')}`,
      wpId: i + 1,
    }));
    answered(await blog.secondary.ack(0, applied));
    answered(await blog.secondary.ack(0, [{ commentId: 'EDGE-COPIED', wpId: 500 }]));
    const { results } = await env.DB.prepare(
      "SELECT wp_id AS wpId, comment_id AS commentId FROM comment_locations WHERE node_id = 'locations-b' ORDER BY wp_id",
    ).all();
    expect(results).toEqual(
      applied.map((location) =>
        location.wpId === 500 ? { ...location, commentId: 'EDGE-COPIED' } : location,
      ),
    );
  });

  it('takes the catalog from the primary only', async () => {
    const blog = await createBlog('catalog-secondary');
    expect(await blog.secondary.catalog({ posts: [] })).toEqual({
      ok: false,
      problem: {
        status: 403,
        type: AGENT_PROBLEM.notPrimary,
        detail:
          "only the site's primary node may send the catalog; catalog-secondary-b is a secondary",
      },
    });
  });

  it('applies catalog changes incrementally: a post closed, a post removed', async () => {
    const blog = await createBlog('catalog');
    const update = await blog.primary.catalog({
      posts: [
        {
          id: 1,
          status: 'publish',
          commentStatus: 'closed',
          permalink: `${blog.base}/hello-world/`,
        },
      ],
      removedPosts: [3],
    });
    expect(answered(update)).toEqual({
      posts: 1,
      removedPosts: 1,
      comments: 0,
      removedComments: 0,
    });
    expect((await blog.form({})).status).toBe(403);
    expect((await blog.form({ comment_post_ID: '3' })).status).toBe(404);
  });

  it('puts the owner’s moderation into the log so every node gets it in order', async () => {
    const blog = await createBlog('moderation');
    const [id] = await postComments(blog, 1);
    answered(
      await blog.primary.moderation({
        changes: [
          { commentId: id ?? '', status: 'held' },
          { commentId: id ?? '', content: 'Edited by the owner' },
        ],
      }),
    );
    const { events } = await pull(blog, { after: 0 });
    expect(events.map((event) => event.type)).toEqual(['created', 'moderated', 'moderated']);
    expect(events[1]).toMatchObject({ commentId: id, status: 'held', reportedBy: 'moderation-a' });
    expect(events[2]).toMatchObject({ commentId: id, content: 'Edited by the owner' });
  });

  it('refuses moderation from a secondary, changing nothing', async () => {
    const blog = await createBlog('moderation-refused');
    const [id] = await postComments(blog, 1);
    const fromSecondary = await blog.secondary.moderation({
      changes: [{ commentId: id ?? '', status: 'spam' }],
    });
    expect(fromSecondary).toMatchObject({ ok: false, problem: { status: 403 } });
    expect((await pull(blog, { after: 0 })).events).toHaveLength(1);
  });

  it('takes 1,000 changes in reports of 500, skipping the ids it has no comment for one by one', async () => {
    const blog = await createBlog('moderation-bulk');
    const ids = Array.from({ length: 1000 }, (_, i) => `bulk-${i + 1}`);
    const db = drizzle(env.DB);
    const rows = ids.map((id) => ({
      id,
      siteId: 'moderation-bulk',
      postId: 1,
      author: 'Ann',
      authorEmail: 'ann@example.com',
      authorUrl: '',
      content: `Hello from ${id}`,
      authorIp: '192.0.2.1',
      userAgent: 'test',
      status: 'approved' as const,
      createdAt: Date.now(),
      updatedAt: Date.now(),
    }));
    // Seven rows a statement keep each insert under D1's 100 bound parameters.
    const inserts = Array.from({ length: Math.ceil(rows.length / 7) }, (_, i) =>
      db.insert(comments).values(rows.slice(i * 7, i * 7 + 7)),
    );
    const [first, ...rest] = inserts;
    if (first) await db.batch([first, ...rest]);
    const applied: number[] = [];
    const skipped: string[] = [];
    for (const chunk of [ids.slice(0, 499), ids.slice(499, 998), ids.slice(998)]) {
      const answer = answered(
        await blog.primary.moderation({
          changes: [...chunk, 'no-such-comment'].map((commentId) => ({
            commentId,
            status: 'spam' as const,
          })),
        }),
      );
      applied.push(answer.applied);
      skipped.push(...answer.skipped);
    }
    expect(applied).toEqual([499, 499, 2]);
    expect(skipped).toEqual(['no-such-comment', 'no-such-comment', 'no-such-comment']);
    const spam = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM comments WHERE site_id = 'moderation-bulk' AND status = 'spam'",
    ).first();
    expect(spam).toEqual({ n: 1000 });
    const logged = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM comment_log WHERE site_id = 'moderation-bulk' AND type = 'moderated'",
    ).first();
    expect(logged).toEqual({ n: 1000 });
  });
});

describe('log retention', () => {
  const DAY_MS = 86_400_000;
  const report = (node: NodeAgent, cursor: number) => node.ack(cursor);
  const age = (siteId: string, days: number) =>
    env.DB.prepare('UPDATE comment_log SET created_at = ? WHERE site_id = ?')
      .bind(Date.now() - days * DAY_MS, siteId)
      .run();

  it('prunes what every node applied once it is old, and tells a node left below it to copy the primary', async () => {
    const blog = await createBlog('retention');
    await postComments(blog, 3);
    const [, second, third] = (await pull(blog, { after: 0 })).events.map((event) => event.seq);
    await age('retention', 31);
    await report(blog.primary, third ?? 0);
    await report(blog.secondary, second ?? 0);
    expect(await pruneLogs(drizzle(env.DB), Date.now())).toContainEqual({
      siteId: 'retention',
      prunedThrough: second,
    });
    const rest = await pull(blog, { after: second ?? 0 });
    expect(rest.events.map((event) => event.seq)).toEqual([third]);
    const behind = await blog.secondary.comments({ after: 0 });
    expect(behind).toMatchObject({
      ok: false,
      problem: {
        status: 410,
        type: AGENT_PROBLEM.logPruned,
        detail: expect.stringContaining("copy the primary's database to this node"),
      },
    });
  });

  it('keeps entries younger than the retention, and every entry while a node has not reported', async () => {
    const young = await createBlog('retention-young');
    await postComments(young, 2);
    const head = (await pull(young, { after: 0 })).head;
    await age('retention-young', 29);
    await report(young.primary, head);
    await report(young.secondary, head);
    const silent = await createBlog('retention-silent');
    await postComments(silent, 2);
    await age('retention-silent', 90);
    await report(silent.primary, (await pull(silent, { after: 0 })).head);
    const pruned = await pruneLogs(drizzle(env.DB), Date.now());
    expect(pruned.map((site) => site.siteId)).not.toContain('retention-young');
    expect(pruned.map((site) => site.siteId)).not.toContain('retention-silent');
    expect((await pull(young, { after: 0 })).events).toHaveLength(2);
    expect((await pull(silent, { after: 0 })).events).toHaveLength(2);
  });
});

describe('the Cron Triggers of wrangler.jsonc', () => {
  it('prune the log on the daily one, and only on it', async () => {
    const crons = env.TEST_CRONS;
    expect(crons.length).toBeGreaterThan(1);
    const pruning: string[] = [];
    for (const [i, cron] of crons.entries()) {
      const blog = await createBlog(`cron-${i}`);
      expect((await blog.api({ content: 'Old enough' })).status).toBe(201);
      const seq = (await pull(blog, { after: 0 })).head;
      await env.DB.prepare('UPDATE comment_log SET created_at = ? WHERE site_id = ?')
        .bind(Date.now() - 31 * 86_400_000, `cron-${i}`)
        .run();
      for (const node of [blog.primary, blog.secondary]) await node.ack(seq);
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron }), env, ctx);
      await waitOnExecutionContext(ctx);
      const below = await blog.secondary.comments({ after: 0 });
      if (!below.ok && below.problem.status === 410) pruning.push(cron);
      else expect(below.ok).toBe(true);
    }
    expect(pruning).toEqual(crons.filter((cron) => /^\d+ \d+ \* \* \*$/.test(cron)));
    expect(pruning).toHaveLength(1);
  });
});
