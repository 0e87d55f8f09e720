import { env } from 'cloudflare:workers';
import { readFigures } from '@wp-edge/core/db';
import { drizzle } from 'drizzle-orm/d1';
import { describe, expect, it } from 'vitest';
import { outcomeFigures } from '../src/intake/outcome-figures.ts';
import { createBlog } from './blog.ts';

describe('comment outcomes in the edge figures', () => {
  // When a batch is due is FigureTally's (core's tally.test.ts); a batch may already have gone
  // while these comments were posted, so the test reads the figures after the last flush.
  it('counts accepted, held and refused comments (by reason) per minute', async () => {
    const blog = await createBlog('outcomes', { maxLinks: 0 });
    await blog.form({ comment: 'Plain' });
    await blog.form({ comment: 'See https://a.example' });
    await blog.form({ email: 'not-an-address' });
    await blog.form({ comment_post_ID: '999' });
    await blog.api({ content: 'Through the API' });
    await outcomeFigures.flush(env.DB);
    const figures = await readFigures(drizzle(env.DB), 'outcomes', Date.now() - 120_000);
    const total = (name: string) =>
      figures.filter((row) => row.name === name).reduce((sum, row) => sum + row.count, 0);
    expect(
      Object.fromEntries(
        [
          'comment.accepted',
          'comment.held',
          'comment.refused.email',
          'comment.refused.no-post',
        ].map((name) => [name, total(name)]),
      ),
    ).toEqual({
      'comment.accepted': 2,
      'comment.held': 1,
      'comment.refused.email': 1,
      'comment.refused.no-post': 1,
    });
  });
});
