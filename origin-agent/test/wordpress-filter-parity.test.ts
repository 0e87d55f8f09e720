import { readSubmittedComment, WordPressWouldFail, wpFilterComment } from '@wp-edge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentCorpus } from './support/comment-corpus.ts';
import {
  createTestWordPress,
  type PostedComment,
  type TestWordPress,
  type WordPressOutcome,
} from './support/wordpress.ts';

const corpus = commentCorpus();
let wordpress: TestWordPress;
let outcomes: WordPressOutcome[];

beforeAll(async () => {
  wordpress = await createTestWordPress();
  outcomes = await wordpress.wordpressStores(corpus);
}, 300_000);
afterAll(() => wordpress?.drop());

const bytes = (text: string) => new TextEncoder().encode(text).length;

/**
 * WordPress cuts the user agent at 254 bytes even inside a character, and then cannot store
 * the comment at all (500, "The comment could not be saved"). wp-edge cuts before that character
 * and keeps the comment: the one place it does not do what WordPress does.
 */
function cutsAgentInsideACharacter(posted: PostedComment): boolean {
  const slashed = posted.userAgent.replace(/['"\\]/g, '\\$&');
  const cut = new TextEncoder().encode(slashed).slice(0, 254);
  return new TextDecoder().decode(cut).endsWith('\uFFFD');
}

/** What wp-edge does with a posted comment, in WordPress's terms. */
function edgeOutcome(posted: PostedComment): WordPressOutcome {
  const read = readSubmittedComment(posted);
  if (bytes(read.author) > 245) return { error: 'comment_author_column_length' };
  if (bytes(read.email) > 100) return { error: 'comment_author_email_column_length' };
  if (bytes(read.url) > 200) return { error: 'comment_author_url_column_length' };
  if (read.content === '') return { error: 'require_valid_comment' };
  if (bytes(read.content) > 65_525) return { error: 'comment_content_column_length' };
  try {
    return { stored: wpFilterComment(read, { ...posted, homeHost: '127.0.0.1' }) };
  } catch (error) {
    if (error instanceof WordPressWouldFail) return { error: 'fatal' };
    throw error;
  }
}

describe('wp-edge’s comment filters against WordPress’s own wp_filter_comment()', () => {
  it('cover a corpus of several hundred hostile and ordinary submissions', () => {
    expect(corpus.length).toBeGreaterThan(400);
    expect(outcomes).toHaveLength(corpus.length);
  });

  it('store byte for byte what WordPress stores for every submission, and refuse what it refuses', () => {
    const differences = corpus.flatMap((posted, i) => {
      if (cutsAgentInsideACharacter(posted)) return [];
      const ours = edgeOutcome(posted);
      return JSON.stringify(ours) === JSON.stringify(outcomes[i])
        ? []
        : [{ posted, wordpress: outcomes[i], ours }];
    });
    expect(differences).toEqual([]);
  });

  it('keep a comment whose user agent WordPress would cut inside a character, cut before it', () => {
    const cases = corpus.flatMap((posted, i) =>
      cutsAgentInsideACharacter(posted) ? [{ posted, wordpress: outcomes[i] }] : [],
    );
    expect(cases.length).toBeGreaterThan(0);
    for (const { posted, wordpress } of cases) {
      expect(wordpress).toEqual({ error: 'comment_save_error' });
      const ours = edgeOutcome(posted);
      if (!('stored' in ours)) throw new Error('wp-edge refused the comment');
      expect(bytes(ours.stored.userAgent)).toBe(253);
      expect(posted.userAgent.startsWith(ours.stored.userAgent)).toBe(true);
    }
  });
});
