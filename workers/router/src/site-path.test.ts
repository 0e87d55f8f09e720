import { describe, expect, it } from 'vitest';
import { sitePath } from './site-path.ts';

describe('the path as the site resolves it', () => {
  it.each([
    ['/hello-world/', '/hello-world/'],
    ['//xmlrpc.php', '/xmlrpc.php'],
    ['/wp-admin//post.php', '/wp-admin/post.php'],
    ['/%77p-login.php', '/wp-login.php'],
    ['/%78%6D%6C%72%70%63.php', '/xmlrpc.php'],
    ['/caf%C3%A9/', '/caf%C3%A9/'],
    ['/a%2Fb', '/a%2Fb'],
    ['/./wp-admin/', '/wp-admin/'],
    ['/blog/%2e%2e/wp-login.php', '/wp-login.php'],
  ])('reads %s as %s', (path, expected) => {
    expect(sitePath(new URL(`https://blog.example${path}`))).toBe(expected);
  });
});
