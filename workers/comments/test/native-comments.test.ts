import { describe, expect, it } from 'vitest';
import { createBlog } from './blog.ts';

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
  status: 'approved',
  createdAt: new Date().toISOString(),
});

interface Logged {
  logged: { wpId: number; commentId: string }[];
}

describe('POST /agent/native-comments', () => {
  it('logs each comment once, with the edge id it already has when reported again, threaded under its parent', async () => {
    const blog = await createBlog('native-log');
    const first = (await (
      await blog.agent(blog.primary, 'POST', '/agent/native-comments', {
        comments: [ownerReply(50, 0), ownerReply(51, 50)],
      })
    ).json()) as Logged;
    const again = (await (
      await blog.agent(blog.primary, 'POST', '/agent/native-comments', {
        comments: [ownerReply(51, 50)],
      })
    ).json()) as Logged;
    expect(again.logged).toEqual([first.logged[1]]);
    const page = (await (
      await blog.agent(blog.secondary, 'GET', '/agent/comments?limit=1000')
    ).json()) as {
      events: { comment?: { id: string; parentEdgeId?: string } }[];
    };
    const created = page.events.flatMap((event) => (event.comment ? [event.comment] : []));
    expect(created.map((comment) => comment.id)).toEqual(
      first.logged.map((item) => item.commentId),
    );
    expect(created[1]?.parentEdgeId).toBe(first.logged[0]?.commentId);
  });

  it('is refused to a secondary with 403', async () => {
    const blog = await createBlog('native-secondary');
    const answer = await blog.agent(blog.secondary, 'POST', '/agent/native-comments', {
      comments: [ownerReply(60, 0)],
    });
    expect(answer.status).toBe(403);
  });

  it('refuses a comment that could not be WordPress’s with 400 naming the field', async () => {
    const blog = await createBlog('native-invalid');
    const answer = await blog.agent(blog.primary, 'POST', '/agent/native-comments', {
      comments: [{ ...ownerReply(70, 0), status: 'pending' }],
    });
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('status');
  });
});
