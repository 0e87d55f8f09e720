import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWordPressSite, type WordPressSite } from './support/wordpress-site.ts';

let site: WordPressSite;
let shortcodePost: number;
let otherPostShortcode: number;

beforeAll(async () => {
  site = await startWordPressSite({ address: '127.0.0.103' });
  // What the origin agent's views sync writes: the count in post meta `views`.
  const ids = await site.cli(
    `update_post_meta(1, 'views', 1234);
     $a = wp_insert_post(['post_title' => 'Counted', 'post_content' => 'Seen [wp_edge_views] times', 'post_status' => 'publish']);
     update_post_meta($a, 'views', 7);
     $b = wp_insert_post(['post_title' => 'Pointer', 'post_content' => 'Hello has [wp_edge_views id="1"]', 'post_status' => 'publish']);
     echo "$a,$b";`,
  );
  [shortcodePost, otherPostShortcode] = ids.split(',').map(Number) as [number, number];
});
afterAll(async () => {
  await site?.stop();
});

const page = async (path: string, cookie = '') =>
  (await fetch(`${site.url}${path}`, { headers: { cookie } })).text();

async function logIn(): Promise<string> {
  const answer = await fetch(`${site.url}/wp-login.php`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: 'wordpress_test_cookie=WP%20Cookie%20check' },
    body: new URLSearchParams({ log: 'admin', pwd: 'adminpass', testcookie: '1' }),
  });
  expect(answer.status).toBe(302);
  return answer.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

describe('view counts in themes', () => {
  it('wp_edge_views() returns the count the agent stored, and 0 before any', async () => {
    expect(await site.cli('echo wp_edge_views(1), ",", wp_edge_views(2);')).toBe('1234,0');
  });

  it('the_wp_edge_views() prints the count in the element the client script updates', async () => {
    expect(await site.cli('the_wp_edge_views(1);')).toBe(
      '<span class="wp-edge-views" data-wp-edge-views="1">1,234</span>',
    );
  });

  it('the [wp_edge_views] shortcode shows the current post’s count in a post', async () => {
    expect(await page(`/?p=${shortcodePost}`)).toContain(
      `Seen <span class="wp-edge-views" data-wp-edge-views="${shortcodePost}">7</span> times`,
    );
  });

  it('the shortcode with an id shows that post’s count', async () => {
    expect(await page(`/?p=${otherPostShortcode}`)).toContain(
      'Hello has <span class="wp-edge-views" data-wp-edge-views="1">1,234</span>',
    );
  });

  it('enqueues the edge’s client script with the post’s id on a single post', async () => {
    const html = await page('/?p=1');
    expect(html).toMatch(
      new RegExp(
        `<script data-post="1" defer src='${site.url}/api/views/client.js' id='wp-edge-views-js'>`,
      ),
    );
  });

  it('enqueues the client script without a post id elsewhere, so it counts the page by its path', async () => {
    const html = await page('/');
    expect(html).toContain(
      `<script defer src='${site.url}/api/views/client.js' id='wp-edge-views-js'>`,
    );
  });

  it('adds a Views column with each post’s count to the admin’s post list', async () => {
    const html = await page('/wp-admin/edit.php', await logIn());
    expect(html).toMatch(
      /<th scope="col" id='wp_edge_views' class='manage-column column-wp_edge_views'>Views<\/th>/,
    );
    expect(html).toContain(
      '<td class=\'wp_edge_views column-wp_edge_views\' data-colname="Views">1,234</td>',
    );
  });
});
