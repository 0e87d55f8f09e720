import { describe, expect, it } from 'vitest';
import { readSubmittedComment, wpFilterComment } from './comment-filters.ts';
import { WordPressWouldFail } from './entities.ts';
import { BlockMarkupUnsupported } from './kses.ts';

// The full comparison with WordPress's own filters is origin-agent/test/wordpress-filter-parity.test.ts.
const request = { userAgent: 'Mozilla/5.0', ip: '10.0.0.1', homeHost: 'blog.example' };
const filter = (fields: Partial<Parameters<typeof readSubmittedComment>[0]>) =>
  wpFilterComment(
    readSubmittedComment({
      author: 'Ann',
      email: 'ann@example.com',
      url: '',
      content: 'Hi',
      ...fields,
    }),
    request,
  );

describe('WordPress’s comment filters', () => {
  it.each([
    ['<script>alert(1)</script>ok', 'alert(1)ok'],
    ['<img src=x onerror=alert(1)>', ''],
    ['<a href="javascript:alert(1)">x</a>', '<a href="alert(1)" rel="nofollow ugc">x</a>'],
    ['<a href="https://blog.example/">own</a>', '<a href="https://blog.example/">own</a>'],
    ['<b onclick="x">b</b> &bogus; &#0065; a < b', '<b>b</b> &amp;bogus; &#065; a &lt; b'],
    ['<!-- a -- b -->', '<!-- a - b -->'],
    ['<!-- <script>x</script> -->', '&lt;!-- x --&gt;'],
  ])('keep of the comment %j only %j', (content, stored) => {
    expect(filter({ content }).content).toBe(stored);
  });

  it.each([
    [{ author: '<svg onload=alert(1)>Tom & "Jerry"' }, 'author', 'Tom &amp; "Jerry"'],
    [{ url: 'javascript:alert(1)' }, 'url', ''],
    [{ url: 'example.com/a b' }, 'url', 'http://example.com/a%20b'],
    [{ email: "o'brien@ex ample.com" }, 'email', "o'brien@example.com"],
  ] as const)('clean the other fields: %j gives %s %j', (fields, field, stored) => {
    expect(filter(fields)[field]).toBe(stored);
  });

  it('cut the user agent at 254 bytes and drop what is not an address from the address', () => {
    const stored = wpFilterComment(
      readSubmittedComment({ author: '', email: '', url: '', content: 'x' }),
      {
        ...request,
        userAgent: 'a'.repeat(300),
        ip: '10.0.0.1<script>',
      },
    );
    expect(stored).toMatchObject({ userAgent: 'a'.repeat(254), ip: '10.0.0.1c' });
  });

  it('refuse block editor markup, which WordPress would rewrite with its block parser', () => {
    expect(() => filter({ content: '<!-- wp:paragraph -->x<!-- /wp:paragraph -->' })).toThrow(
      BlockMarkupUnsupported,
    );
  });

  it('refuse a URL whose character reference makes WordPress itself fail', () => {
    expect(() => filter({ url: '&#99999999999999999999;:x' })).toThrow(WordPressWouldFail);
  });
});
