import { env } from 'cloudflare:workers';
import { LOG_PAYLOAD_FORMAT, StoredFormatError } from '@wp-edge/core';
import { commentLog } from '@wp-edge/core/db';
import { asc, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { describe, expect, it } from 'vitest';
import { readLog } from '../src/agent/comment-pull.ts';
import { answered, createBlog } from './blog.ts';

const logOf = (siteId: string) =>
  drizzle(env.DB)
    .select()
    .from(commentLog)
    .where(eq(commentLog.siteId, siteId))
    .orderBy(asc(commentLog.seq));

describe('the comment log’s stored format', () => {
  it('writes every entry’s payload with its format version', async () => {
    const blog = await createBlog('log-format');
    const { id } = (await (await blog.api({ content: 'Versioned' })).json()) as { id: string };
    answered(await blog.primary.moderation({ changes: [{ commentId: id, status: 'spam' }] }));
    const rows = await logOf('log-format');
    expect(rows.map((row) => [row.type, (row.payload as { v: number }).v])).toEqual([
      ['created', LOG_PAYLOAD_FORMAT],
      ['moderated', LOG_PAYLOAD_FORMAT],
    ]);
    const { page } = await readLog(drizzle(env.DB), 'log-format', 0, 10);
    expect(page.events).toMatchObject([
      { type: 'created', comment: { id, content: 'Versioned' } },
      { type: 'moderated', commentId: id, status: 'spam', reportedBy: 'log-format-a' },
    ]);
    expect(JSON.stringify(page)).not.toContain('"v"');
  });

  it('refuses an entry of a format version it does not know, naming the entry and the fix', async () => {
    const blog = await createBlog('log-future');
    await blog.api({ content: 'From the future' });
    const [row] = await logOf('log-future');
    await drizzle(env.DB)
      .update(commentLog)
      .set({ payload: { ...(row?.payload as object), v: 2 } })
      .where(eq(commentLog.seq, row?.seq ?? 0));
    const read = readLog(drizzle(env.DB), 'log-future', 0, 10);
    await expect(read).rejects.toThrow(StoredFormatError);
    await expect(read).rejects.toThrow(
      `comment log entry ${row?.seq} of site log-future is in format version 2, but this code reads version 1; deploy the comments Worker that wrote it (this one is older)`,
    );
  });
});
