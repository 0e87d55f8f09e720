import { NOTIFY_REPLIES_FIELD } from '@wp-edge/core';
import { describe, expect, it } from 'vitest';
import { answered, type Blog, createBlog } from './blog.ts';

const commentId = (response: Response) =>
  new URL(response.headers.get('location') ?? '').searchParams.get('wp_edge_comment') ?? '';

/** The created comment as every node's agent pulls it from the log. */
async function pulled(blog: Blog, id: string) {
  const page = answered(await blog.secondary.comments({ limit: 1000 }));
  return page.events
    .flatMap((event) => (event.type === 'created' ? [event.comment] : []))
    .find((comment) => comment.id === id);
}

describe('"notify me of replies" at the edge', () => {
  it('carries the reader’s request to every node when the site offers reply notifications', async () => {
    const blog = await createBlog('replies-on', { replyNotifications: true });
    const asked = commentId(await blog.form({ [NOTIFY_REPLIES_FIELD]: '1' }));
    const notAsked = commentId(await blog.form({}));
    expect(await pulled(blog, asked)).toMatchObject({ notifyReplies: true });
    expect(await pulled(blog, notAsked)).not.toHaveProperty('notifyReplies');
  });

  it('drops the request on a site that does not offer them (the default)', async () => {
    const blog = await createBlog('replies-off');
    const id = commentId(await blog.form({ [NOTIFY_REPLIES_FIELD]: '1' }));
    expect(await pulled(blog, id)).not.toHaveProperty('notifyReplies');
  });

  it('drops it from a comment without an email address, which no mail could reach', async () => {
    const blog = await createBlog('replies-no-email', {
      replyNotifications: true,
      requireNameEmail: false,
    });
    const id = commentId(await blog.form({ email: '', [NOTIFY_REPLIES_FIELD]: '1' }));
    expect(await pulled(blog, id)).not.toHaveProperty('notifyReplies');
  });

  it('takes notifyReplies in the JSON API too', async () => {
    const blog = await createBlog('replies-api', { replyNotifications: true });
    const answer = (await (await blog.api({ notifyReplies: true })).json()) as { id: string };
    expect(await pulled(blog, answer.id)).toMatchObject({ notifyReplies: true });
  });
});
