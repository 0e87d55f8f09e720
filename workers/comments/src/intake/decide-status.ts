import type { CommentStatus, SiteSettings } from '@wp-edge/core';

/** Links in a comment, as WordPress would show them: anchors and bare web addresses. */
export function countLinks(content: string): number {
  const anchors = content.match(/<a\s[^>]*href/gi) ?? [];
  const bare = content.match(/(?<!href\s*=\s*["']?)https?:\/\//gi) ?? [];
  return anchors.length + bare.length;
}

/** The status a comment that passed every rule gets, from the site's moderation settings. */
export function decideStatus(
  settings: SiteSettings['comments'],
  facts: {
    honeypotFilled: boolean;
    links: number;
    returningAuthor: boolean;
    /** The edge cannot check a post's password, so the owner sees these comments first. */
    passwordProtected: boolean;
  },
): CommentStatus {
  if (facts.honeypotFilled) return 'spam';
  if (settings.moderation === 'hold-all' || facts.passwordProtected) return 'held';
  if (facts.links > settings.maxLinks) return 'held';
  if (settings.moderation === 'approve-returning' && !facts.returningAuthor) return 'held';
  return 'approved';
}
