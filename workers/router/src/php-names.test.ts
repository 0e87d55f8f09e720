import { describe, expect, it } from 'vitest';
import { phpCookieNames, phpName, phpQuery } from './php-names.ts';

describe('names as PHP reads them', () => {
  // Each seen with PHP 8.2's own parsing of a Cookie header or query string.
  it.each([
    ['comment_author_abc', 'comment_author_abc'],
    ['comment.author_email_abc', 'comment_author_email_abc'],
    ['comment author_abc', 'comment_author_abc'],
    ['comment[author_abc', 'comment_author_abc'],
    ['comment[author.abc', 'comment_author_abc'],
    ['x.y[z', 'x_y_z'],
    [' wordpress_logged_in_x', 'wordpress_logged_in_x'],
    ['wordpress_logged_in_x[a]', 'wordpress_logged_in_x'],
    ['wordpress[logged_in_x]', 'wordpress'],
    ['.method', '_method'],
    ['preview\0x', 'preview'],
    ['comment%5Fauthor_x', 'comment%5Fauthor_x'],
  ])('%j is %j', (raw, php) => {
    expect(phpName(raw)).toBe(php);
  });

  it('splits a Cookie header on semicolons only', () => {
    expect(phpCookieNames('a=1, comment_author_x=2; b.c=3')).toEqual(['a', 'b_c']);
  });

  it('takes the last of repeated query parameters, as PHP does', () => {
    const query = phpQuery(new URL('https://blog.example/?_method=GET&.method=DELETE'));
    expect(query.get('_method')).toBe('DELETE');
  });
});
