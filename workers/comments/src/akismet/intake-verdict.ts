import { type CommentStatus, createLogger, type SiteSettings } from '@wp-edge/core';
import { checkComment } from './akismet.ts';

/**
 * The status of a comment the site's rules gave `decided`, once Akismet has judged it (when
 * the site has a key): spam is stored as spam; a comment Akismet could not judge is held for
 * the owner, never approved unchecked and never lost.
 */
export async function statusAfterAkismet(
  apiUrl: string,
  settings: SiteSettings['comments'],
  decided: CommentStatus,
  fields: () => URLSearchParams,
): Promise<CommentStatus> {
  if (!settings.akismetKey || decided === 'spam') return decided;
  const verdict = await checkComment(apiUrl, settings.akismetKey, fields());
  if (verdict.result === 'spam') return 'spam';
  if (verdict.result === 'ham') return decided;
  createLogger({ service: 'comments', part: 'akismet' }).warn('comment held: Akismet unchecked', {
    reason: verdict.reason,
  });
  return decided === 'approved' ? 'held' : decided;
}
