import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { retryDelayMs } from '../src/akismet/verdict-outbox.ts';
import { runScheduled } from '../src/scheduled.ts';
import { answered, createBlog } from './blog.ts';
import { receivedAt } from './received.ts';
import { AKISMET_FLAKY_FAILURES, AKISMET_FLAKY_KEY, AKISMET_OUTAGE_KEY } from './stand-ins.ts';

const LAG_CRON = '*/5 * * * *';

const commentId = (response: Response) =>
  new URL(response.headers.get('location') ?? '').searchParams.get('wp_edge_comment') ?? '';

interface OutboxRow {
  attempts: number;
  first_failed_at: number;
  next_attempt_at: number;
  last_error: string;
}

const outboxRow = (id: string) =>
  env.DB.prepare('SELECT * FROM akismet_outbox WHERE comment_id = ?').bind(id).first<OutboxRow>();

/** The outbox row of a verdict, once the owner's moderation has failed to send it. */
async function queued(id: string): Promise<OutboxRow> {
  await expect.poll(() => outboxRow(id), { timeout: 10_000, interval: 100 }).not.toBeNull();
  return (await outboxRow(id)) as OutboxRow;
}

/** A comment the owner marks spam on the primary, with the site's Akismet key. */
async function markedSpam(siteId: string, key: string, content: string) {
  const blog = await createBlog(siteId, { akismetKey: key });
  const id = commentId(await blog.form({ comment: content }));
  answered(await blog.primary.moderation({ changes: [{ commentId: id, status: 'spam' }] }));
  return id;
}

const submitsOf = (content: string, count: number) =>
  receivedAt('/akismet/1.1/submit-spam', count, (received) =>
    received.body.includes(new URLSearchParams({ c: content }).toString().slice(2)),
  );

afterEach(() => {
  vi.restoreAllMocks();
});

describe('owner verdicts Akismet did not take', () => {
  it('waits 5 minutes, doubling with each failure, at most 2 hours', () => {
    expect([1, 2, 3, 6, 10].map(retryDelayMs)).toEqual([
      300_000, 600_000, 1_200_000, 7_200_000, 7_200_000,
    ]);
  });

  it('sends a failed submit-spam again from the Cron, backing off, until Akismet takes it', async () => {
    const content = 'Spam while Akismet is down';
    const id = await markedSpam('akismet-retry', AKISMET_FLAKY_KEY, content);
    const first = await queued(id);
    expect(first).toMatchObject({ attempts: 1, last_error: expect.stringContaining('503') });
    expect(first.next_attempt_at - first.first_failed_at).toBe(retryDelayMs(1));

    await runScheduled(env, LAG_CRON, first.next_attempt_at - 1);
    expect(await outboxRow(id)).toMatchObject({ attempts: 1 });

    await runScheduled(env, LAG_CRON, first.next_attempt_at);
    const second = (await outboxRow(id)) as OutboxRow;
    expect(second.attempts).toBe(AKISMET_FLAKY_FAILURES);
    expect(second.next_attempt_at - first.next_attempt_at).toBe(retryDelayMs(2));

    await runScheduled(env, LAG_CRON, second.next_attempt_at);
    expect(await outboxRow(id)).toBeNull();
    const calls = await submitsOf(content, AKISMET_FLAKY_FAILURES + 1);
    expect(new URLSearchParams(calls.at(-1)?.body).get('comment_content')).toBe(content);
  });

  it('gives up a day after the first failure, with an error log line', async () => {
    const errors = vi.spyOn(console, 'error');
    const content = 'Spam while Akismet stays down';
    const id = await markedSpam('akismet-give-up', AKISMET_OUTAGE_KEY, content);
    const row = await queued(id);
    await runScheduled(env, LAG_CRON, row.first_failed_at + 23 * 3600_000);
    expect(await outboxRow(id)).toMatchObject({ attempts: 2 });
    await runScheduled(env, LAG_CRON, row.first_failed_at + 24 * 3600_000);
    expect(await outboxRow(id)).toBeNull();
    const lines = errors.mock.calls.map(([line]) => String(line));
    const givenUp = lines.find((line) => line.includes('Akismet verdict given up'));
    expect(JSON.parse(givenUp ?? '{}')).toMatchObject({
      level: 'error',
      commentId: id,
      verdict: 'spam',
      attempts: 3,
    });
  });
});
