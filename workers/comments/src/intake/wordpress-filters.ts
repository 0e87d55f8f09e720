import {
  BlockMarkupUnsupported,
  readSubmittedComment,
  type StoredComment,
  WordPressWouldFail,
  wellFormed,
  wpFilterComment,
} from '@wp-edge/core';
import { refuse } from './refusal.ts';
import type { Submission } from './submission.ts';

/**
 * The form's text fields as WordPress reads them before its rules (`wp_handle_comment_submission`:
 * tags stripped from the name, each field trimmed as PHP trims), so that lengths and required
 * fields are judged on what WordPress judges.
 */
export function asWordPressReadsIt(raw: Record<string, unknown>): Record<string, unknown> {
  const text = (value: unknown) => (typeof value === 'string' ? wellFormed(value) : '');
  return {
    ...raw,
    ...readSubmittedComment({
      author: text(raw.author),
      email: text(raw.email),
      url: text(raw.url),
      content: text(raw.content),
    }),
  };
}

/** The host of the site's own address (the primary's), whose links WordPress leaves without `rel="nofollow ugc"`. */
export function homeHostOf(siteUrl: string | undefined, fallbackHost: string): string {
  if (!siteUrl || !URL.canParse(siteUrl)) return fallbackHost;
  return new URL(siteUrl).hostname;
}

/**
 * What WordPress's own `wp_new_comment()` would store for this anonymous submission
 * (kses with `$allowedtags`, the name, email and URL filters, `rel="nofollow ugc"`), computed
 * before any duplicate check or storage, so every node gets exactly that. Refuses what
 * WordPress itself could not store.
 */
export function filterLikeWordPress(
  submission: Submission,
  request: { userAgent: string; ip: string; homeHost: string },
): StoredComment {
  try {
    return wpFilterComment(
      {
        author: submission.author,
        email: submission.email,
        url: submission.url,
        content: submission.content,
      },
      { ...request, userAgent: wellFormed(request.userAgent) },
    );
  } catch (error) {
    if (error instanceof BlockMarkupUnsupported)
      throw refuse(
        400,
        'block-markup',
        'Comments cannot contain block editor markup (<!-- wp:… -->).',
      );
    if (error instanceof WordPressWouldFail)
      throw refuse(
        400,
        'unfilterable',
        'Your comment contains a character reference WordPress cannot store.',
      );
    throw error;
  }
}
