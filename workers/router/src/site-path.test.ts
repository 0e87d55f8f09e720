import { describe, expect, it } from 'vitest';
import { refusedPath, sitePath } from './site-path.ts';

describe('the path as the site resolves it', () => {
  it.each([
    ['/hello-world/', '/hello-world/'],
    ['//xmlrpc.php', '/xmlrpc.php'],
    ['/wp-admin//post.php', '/wp-admin/post.php'],
    ['/%77p-login.php', '/wp-login.php'],
    ['/wp-login%2Ephp', '/wp-login.php'],
    ['/%78%6D%6C%72%70%63.php', '/xmlrpc.php'],
    ['/caf%C3%A9/', '/caf%C3%A9/'],
    ['/./wp-admin/', '/wp-admin/'],
    ['/blog/%2e%2e/wp-login.php', '/wp-login.php'],
  ])('reads %s as %s', (path, expected) => {
    expect(sitePath(new URL(`https://blog.example${path}`))).toBe(expected);
  });
});

describe('paths the router refuses', () => {
  it.each([
    ['/%2Fwp-login.php', true],
    ['/x%2f..%2fwp-login.php', true],
    ['/wp-admin%5Cpost.php', true],
    ['/wp-login.php%00.jpg', true],
    ['/a%252Fb', false],
    ['/caf%C3%A9/', false],
    ['/?redirect_to=%2Fwp-admin%2F', false],
  ])('%s is refused: %s', (path, refused) => {
    expect(refusedPath(new URL(`https://blog.example${path}`)) !== undefined).toBe(refused);
  });
});
