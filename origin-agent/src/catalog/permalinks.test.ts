import { describe, expect, it } from 'vitest';
import { pageAddresses, permalink } from './permalinks.ts';

const post = {
  id: 7,
  type: 'post',
  name: 'hello-world',
  date: new Date(Date.UTC(2026, 10, 3, 9, 5, 1)),
  parentId: 0,
};

describe('permalinks', () => {
  it.each([
    ['', 'https://blog.example/?p=7'],
    ['/%postname%/', 'https://blog.example/hello-world/'],
    ['/%year%/%monthnum%/%day%/%postname%/', 'https://blog.example/2026/11/03/hello-world/'],
    ['/archives/%post_id%', 'https://blog.example/archives/7'],
    ['/%category%/%postname%/', 'https://blog.example/?p=7'],
  ])('under %j a post is at %s', (structure, url) => {
    expect(permalink(post, structure, 'https://blog.example/')).toBe(url);
  });

  it('puts a page at its slug, or at ?page_id= without pretty permalinks', () => {
    const page = { ...post, type: 'page', name: 'about' };
    expect(permalink(page, '/%postname%/', 'https://blog.example')).toBe(
      'https://blog.example/about/',
    );
    expect(permalink(page, '', 'https://blog.example')).toBe('https://blog.example/?page_id=7');
    expect(permalink({ ...page, parentId: 2 }, '/%postname%/', 'https://blog.example')).toBe(
      'https://blog.example/?page_id=7',
    );
  });

  it('gives every address WordPress serves a page at: the pretty one and the plain one, once each', () => {
    const home = 'https://blog.example';
    expect(pageAddresses(post, '/%postname%/', home)).toEqual([
      'https://blog.example/hello-world/',
      'https://blog.example/?p=7',
    ]);
    expect(pageAddresses({ ...post, type: 'page', name: 'about' }, '/%postname%/', home)).toEqual([
      'https://blog.example/about/',
      'https://blog.example/?page_id=7',
    ]);
    expect(pageAddresses(post, '', home)).toEqual(['https://blog.example/?p=7']);
  });
});
