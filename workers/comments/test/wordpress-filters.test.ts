import { describe, expect, it } from 'vitest';
import { answered, createBlog, storedComment } from './blog.ts';

const detail = async (response: Response) => ((await response.json()) as { detail: string }).detail;

describe('what the edge stores of a reader’s comment', () => {
  it('is what WordPress would store: no script, no event handlers, no javascript: URL', async () => {
    const blog = await createBlog('filters-api');
    const response = await blog.api({
      author: '<svg onload=alert(1)>Eve & "Co"',
      email: ' eve@example.com ',
      url: 'javascript:alert(1)',
      content:
        '<script>alert(1)</script>Hi <img src=x onerror=alert(1)><a href="https://ok.example" onclick="steal()">ok</a>',
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect(await storedComment(id)).toMatchObject({
      author: 'Eve &amp; "Co"',
      author_email: 'eve@example.com',
      author_url: '',
      content: 'alert(1)Hi <a href="https://ok.example" rel="nofollow ugc">ok</a>',
    });
  });

  it('leaves links to the site itself without rel="nofollow ugc", as WordPress does', async () => {
    const blog = await createBlog('filters-own');
    const response = await blog.form({
      comment: '<a href="https://filters-own.example/about/">about</a>',
    });
    const id = new URL(response.headers.get('location') ?? '').searchParams.get('wp_edge_comment');
    expect(await storedComment(id ?? '')).toMatchObject({
      content: '<a href="https://filters-own.example/about/">about</a>',
    });
  });

  it('follows the home the primary publishes now: a link to the old home is then a link elsewhere', async () => {
    const blog = await createBlog('filters-new-home');
    const link = '<a href="https://filters-new-home.example/about/">about</a>';
    const contentOf = async (response: Response) => {
      const id = new URL(response.headers.get('location') ?? '').searchParams.get(
        'wp_edge_comment',
      );
      return (await storedComment(id ?? ''))?.content;
    };
    expect(await contentOf(await blog.form({ comment: link }))).toBe(link);
    answered(await blog.primary.catalog({ siteUrl: 'https://www.filters-new-home.example' }));
    expect(await contentOf(await blog.form({ comment: link.replace('about', 'contact') }))).toBe(
      '<a href="https://filters-new-home.example/contact/" rel="nofollow ugc">about</a>',
    );
  });

  it('finds the duplicate of a comment whose filtered form changed with the home in between', async () => {
    const blog = await createBlog('filters-dupe-home');
    const link = '<a href="https://elsewhere.example/">elsewhere</a>';
    const home = (siteUrl: string) => blog.primary.catalog({ siteUrl }).then(answered);
    await home('https://elsewhere.example');
    expect((await blog.form({ comment: link })).status).toBe(302);
    await home('https://filters-dupe-home.example');
    expect((await blog.form({ comment: 'Something else' })).status).toBe(302);
    await home('https://elsewhere.example');
    const again = await blog.form({ comment: link });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Duplicate comment detected');
  });

  it('is what the duplicate check compares, so markup that filters the same is a duplicate', async () => {
    const blog = await createBlog('filters-dupe');
    expect((await blog.form({ comment: '<b>Same</b>' })).status).toBe(302);
    expect((await blog.form({ comment: '<b onclick="x">Same</b>' })).status).toBe(409);
  });

  it('never includes block editor markup, which the edge refuses with 400', async () => {
    const blog = await createBlog('filters-blocks');
    const response = await blog.api({
      content: '<!-- wp:paragraph {"className":"x"} -->Hi<!-- /wp:paragraph -->',
    });
    expect(response.status).toBe(400);
    expect(await detail(response)).toContain('block editor markup');
  });

  it('is refused with 400 where WordPress itself would fail on a character reference', async () => {
    const blog = await createBlog('filters-fatal');
    const response = await blog.api({ url: '&#99999999999999999999;:x', content: 'Hi' });
    expect(response.status).toBe(400);
    expect(await detail(response)).toContain('character reference');
  });
});
