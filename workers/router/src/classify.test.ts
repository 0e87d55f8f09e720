import { describe, expect, it } from 'vitest';
import { classify } from './classify.ts';

const HASH = '7f3a1c0e9b2d4a5f6e8c7b1a0d9e8f7c';

// [method, URL, request headers, destination, cacheable]
const TABLE: [string, string, Record<string, string>, 'primary' | 'any', boolean][] = [
  ['GET', '/', {}, 'any', true],
  ['HEAD', '/', {}, 'any', true],
  ['GET', '/2026/11/24/hello-world/', {}, 'any', true],
  ['GET', '/hello-world/?replytocom=12', {}, 'any', true],
  ['GET', '/category/news/page/2/', {}, 'any', true],
  ['GET', '/?s=wordpress', {}, 'any', true],
  ['GET', '/feed/', {}, 'any', true],
  ['GET', '/comments/feed/', {}, 'any', true],
  ['GET', '/wp-content/uploads/2026/11/photo.jpg', {}, 'any', true],
  ['GET', '/wp-includes/js/jquery/jquery.min.js?ver=3.7.1', {}, 'any', true],
  ['GET', '/wp-json/wp/v2/posts', {}, 'any', true],
  ['GET', '/?rest_route=/wp/v2/posts', {}, 'any', true],
  ['GET', '/sitemap.xml', {}, 'any', true],
  ['GET', '/wp-sitemap.xml', {}, 'any', true],
  ['GET', '/robots.txt', {}, 'any', true],
  ['GET', '/wp-admin-guide/', {}, 'any', true],
  ['GET', '/wp-admin', {}, 'primary', false],
  ['GET', '/wp-admin/', {}, 'primary', false],
  ['GET', '/wp-admin/edit.php?post_type=page', {}, 'primary', false],
  ['GET', '/wp-admin/post.php?post=12&action=edit', {}, 'primary', false],
  ['POST', '/wp-admin/admin-ajax.php', {}, 'primary', false],
  ['GET', '/wp-admin/admin-ajax.php?action=heartbeat', {}, 'primary', false],
  ['GET', '/wp-admin/load-styles.php?c=1&load=dashicons', {}, 'primary', false],
  ['GET', '/wp-login.php', {}, 'primary', false],
  ['POST', '/wp-login.php', {}, 'primary', false],
  ['GET', '/wp-login.php?action=lostpassword', {}, 'primary', false],
  ['POST', '/xmlrpc.php', {}, 'primary', false],
  ['GET', '/wp-cron.php?doing_wp_cron=1732490000.1234', {}, 'primary', false],
  ['GET', '/wp-signup.php', {}, 'primary', false],
  ['GET', '/?p=12&preview=true', {}, 'primary', false],
  ['GET', '/hello-world/?preview_id=12&preview_nonce=abc&preview=true', {}, 'primary', false],
  ['GET', '/?customize_changeset_uuid=1b2c', {}, 'primary', false],
  ['GET', '/wp-json/wp/v2/users/me?_wpnonce=abc123', {}, 'primary', false],
  ['POST', '/wp-json/wp/v2/posts', {}, 'primary', false],
  ['PUT', '/wp-json/wp/v2/posts/12', {}, 'primary', false],
  ['DELETE', '/wp-json/wp/v2/comments/3', {}, 'primary', false],
  ['PATCH', '/wp-json/wc/v3/orders/7', {}, 'primary', false],
  ['POST', '/?wc-ajax=add_to_cart', {}, 'primary', false],
  ['POST', '/contact/', {}, 'primary', false],
  ['OPTIONS', '/wp-json/', {}, 'primary', false],
  ['GET', '/', { cookie: `wordpress_logged_in_${HASH}=admin%7C1732` }, 'primary', false],
  [
    'GET',
    '/hello-world/',
    { cookie: `wp-settings-1=libraryContent; wordpress_logged_in_${HASH}=ann` },
    'primary',
    false,
  ],
  ['GET', '/protected-page/', { cookie: `wp-postpass_${HASH}=%24P%24Bxyz` }, 'primary', false],
  [
    'GET',
    '/shop/',
    { cookie: `woocommerce_items_in_cart=1; woocommerce_cart_hash=abc` },
    'primary',
    false,
  ],
  ['GET', '/cart/', { cookie: `wp_woocommerce_session_${HASH}=12%7C%7C1732` }, 'primary', false],
  [
    'GET',
    '/hello-world/',
    { cookie: `comment_author_${HASH}=Ann; comment_author_email_${HASH}=ann%40example.com` },
    'any',
    false,
  ],
  ['GET', '/', { cookie: 'wp-settings-time-1=1732490000; _ga=GA1.1.123' }, 'any', true],
  ['GET', '/', { cookie: 'wordpress_test_cookie=WP%20Cookie%20check' }, 'any', true],
  ['GET', '/?p=12&preview=1', {}, 'primary', false],
  ['GET', '/wp-json/wp/v2/posts/12?_method=DELETE', {}, 'primary', false],
  ['GET', '/wp-json/wp/v2/posts/12?_method=GET', {}, 'any', true],
  ['GET', '/wp-json/wp/v2/posts/12', { 'x-http-method-override': 'PUT' }, 'primary', false],
  ['GET', '/wp-json/wp/v2/users/me', { authorization: 'Basic YWRtaW46YXBw' }, 'primary', false],
  ['GET', '//wp-admin/', {}, 'primary', false],
  ['GET', '/%77p-login.php', {}, 'primary', false],
  ['GET', '/xmlrpc.php/', {}, 'primary', false],
  ['GET', '/wp-login.php/extra', {}, 'primary', false],
];

describe('classifying WordPress requests', () => {
  it.each(TABLE)(
    '%s %s (headers: %j) goes to %s, cacheable %s',
    (method, path, headers, destination, cacheable) => {
      const result = classify(method, new URL(`https://blog.example${path}`), new Headers(headers));
      expect({ destination: result.destination, cacheable: result.cacheable }).toEqual({
        destination,
        cacheable,
      });
    },
  );
});
