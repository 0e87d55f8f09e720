import { NativeCommentsReport } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { answered, createBlog } from './blog.ts';

const ownerReply = (wpId: number, parentWpId: number) => ({
  wpId,
  postId: 1,
  parentWpId,
  author: 'Owner',
  authorEmail: 'owner@example.com',
  authorUrl: '',
  content: `Owner reply ${wpId}`,
  authorIp: '',
  userAgent: '',
  status: 'approved' as const,
  createdAt: new Date().toISOString(),
});

describe('the CommentsAgent’s nativeComments (POST /agent/native-comments)', () => {
  it('logs each comment once, with the edge id it already has when reported again, threaded under its parent', async () => {
    const blog = await createBlog('native-log');
    const first = answered(
      await blog.primary.nativeComments({ comments: [ownerReply(50, 0), ownerReply(51, 50)] }),
    );
    const again = answered(await blog.primary.nativeComments({ comments: [ownerReply(51, 50)] }));
    expect(again.logged).toEqual([first.logged[1]]);
    const page = answered(await blog.secondary.comments({ limit: 1000 }));
    const created = page.events.flatMap((event) =>
      event.type === 'created' ? [event.comment] : [],
    );
    expect(created.map((comment) => comment.id)).toEqual(
      first.logged.map((item) => item.commentId),
    );
    expect(created[1]?.parentEdgeId).toBe(first.logged[0]?.commentId);
  });

  it('is refused to a secondary with 403', async () => {
    const blog = await createBlog('native-secondary');
    const answer = await blog.secondary.nativeComments({ comments: [ownerReply(60, 0)] });
    expect(answer).toMatchObject({ ok: false, problem: { status: 403 } });
  });

  it('takes only what WordPress can have written (the contract the gateway checks)', () => {
    const parsed = NativeCommentsReport.safeParse({
      comments: [{ ...ownerReply(70, 0), status: 'pending' }],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['comments', 0, 'status']);
  });
});
