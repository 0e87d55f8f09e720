import type { CommentStatus } from '../comments/schemas.ts';

/**
 * WordPress's `wp_comments.comment_approved` and the edge's comment statuses, both ways: the
 * agent writes the one for a status, the comments Worker and the agent read a status back.
 */

/** `wp_comments.comment_approved` for each status. */
export const WP_APPROVED: Record<CommentStatus, string> = {
  approved: '1',
  held: '0',
  spam: 'spam',
  trash: 'trash',
};

/**
 * The status a `comment_approved` value stands for: `post-trashed` (its post went to the
 * trash) is trash too, and a value a plugin made up counts as held, never as approved.
 */
export function statusOfApproved(approved: string): CommentStatus {
  if (approved === 'post-trashed') return 'trash';
  const status = (Object.keys(WP_APPROVED) as CommentStatus[]).find(
    (candidate) => WP_APPROVED[candidate] === approved,
  );
  return status ?? 'held';
}
