import { describe, expect, it } from 'vitest';
import { CommentStatus } from '../comments/schemas.ts';
import { statusOfApproved, WP_APPROVED } from './wordpress-comments.ts';

describe('WordPress’s comment_approved and the edge’s statuses', () => {
  it.each([
    ['1', 'approved'],
    ['0', 'held'],
    ['spam', 'spam'],
    ['trash', 'trash'],
    ['post-trashed', 'trash'],
    ['made-up-by-a-plugin', 'held'],
  ])('reads comment_approved %s as %s', (approved, status) => {
    expect(statusOfApproved(approved)).toBe(status);
  });

  it('reads back every status it writes', () => {
    for (const status of CommentStatus.options)
      expect(statusOfApproved(WP_APPROVED[status])).toBe(status);
  });
});
