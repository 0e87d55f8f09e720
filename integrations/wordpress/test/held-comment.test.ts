import {
  HELD_COMMENT_COOKIE,
  HELD_COMMENT_TTL_SECONDS,
  type HeldComment,
  ORIGIN_SECRET_HEADER,
  signHeldComment,
} from '@wp-edge/core';
import { chromiumLaunch } from '@wp-edge/workerd-kit';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEdgeComment } from './support/edge-comment.ts';
import { startWordPressSite, type WordPressSite } from './support/wordpress-site.ts';

const SECRET = 'origin-secret-for-held-comments-0123456789';
const MODERATION_NOTE = 'Your comment is awaiting moderation.';

let site: WordPressSite;
let browser: Browser;

beforeAll(async () => {
  [site, browser] = await Promise.all([
    startWordPressSite({ address: '127.0.0.104', constants: { WP_EDGE_ORIGIN_SECRET: SECRET } }),
    chromium.launch(chromiumLaunch()),
  ]);
});
afterAll(async () => {
  await Promise.all([site?.stop(), browser?.close()]);
});

const heldComment = (id: string, content: string): HeldComment => ({
  id,
  postId: 1,
  author: 'Ann Reader',
  authorUrl: '',
  content,
  date: new Date().toISOString(),
  expires: Math.floor(Date.now() / 1000) + HELD_COMMENT_TTL_SECONDS,
});

/** The reader's browser just back from the edge's redirect, with the cookie the comments Worker set. */
async function landAfterPost(id: string, cookieValue: string): Promise<Page> {
  // The edge adds the origin secret to every request it forwards; here the browser does.
  const context = await browser.newContext({
    extraHTTPHeaders: { [ORIGIN_SECRET_HEADER]: SECRET },
  });
  await context.addCookies([{ name: HELD_COMMENT_COOKIE, value: cookieValue, url: site.url }]);
  const page = await context.newPage();
  await page.goto(`${site.url}/?p=1&wp_edge_comment=${id}&wp_edge_status=held#comment-${id}`);
  return page;
}

// biome-ignore lint/performance/useDomNodeTextContent: what the reader sees is the rendered text.
const commentsText = (page: Page) => page.locator('.wp-block-comments').innerText();

describe('a held comment shown to its author', () => {
  it('shows the comment, awaiting moderation, before it has reached the node', async () => {
    const id = '01JHELDBEFORENODE00000000A';
    const page = await landAfterPost(
      id,
      await signHeldComment(heldComment(id, 'Is this on?'), SECRET),
    );
    const text = await commentsText(page);
    expect(text).toContain('Ann Reader');
    expect(text).toContain('Is this on?');
    expect(text).toContain(MODERATION_NOTE);
    await page.context().close();
  });

  it('shows the node’s own copy, awaiting moderation, once the agent applied it', async () => {
    const id = '01JHELDONNODE0000000000000';
    await applyEdgeComment(site.db, { edgeId: id, content: 'As the node has it', approved: '0' });
    const page = await landAfterPost(
      id,
      await signHeldComment(heldComment(id, 'As the cookie has it'), SECRET),
    );
    const text = await commentsText(page);
    expect(text.match(/As the node has it/g)).toHaveLength(1);
    expect(text).not.toContain('As the cookie has it');
    expect(text).toContain(MODERATION_NOTE);
    await page.context().close();
  });

  it('shows nothing from a cookie signed with another secret', async () => {
    const id = '01JHELDFORGED0000000000000';
    const page = await landAfterPost(
      id,
      await signHeldComment(heldComment(id, 'Forged words'), 'guess'),
    );
    expect(await page.content()).not.toContain('Forged words');
    await page.context().close();
  });

  it('shows nothing from an expired cookie, or one for another comment', async () => {
    const id = '01JHELDEXPIRED000000000000';
    const expired = { ...heldComment(id, 'Too late'), expires: Math.floor(Date.now() / 1000) - 1 };
    const stale = await landAfterPost(id, await signHeldComment(expired, SECRET));
    expect(await stale.content()).not.toContain('Too late');
    await stale.context().close();
    const other = await landAfterPost(
      id,
      await signHeldComment(heldComment('01JOTHER', 'Not this one'), SECRET),
    );
    expect(await other.content()).not.toContain('Not this one');
    await other.context().close();
  });

  it('drops the markup WordPress would not store from an anonymous commenter', async () => {
    const id = '01JHELDMARKUP0000000000000';
    const content =
      'Bold <strong>move</strong><script>alert(1)</script><img src=x onerror=alert(2)>';
    const page = await landAfterPost(id, await signHeldComment(heldComment(id, content), SECRET));
    const html = await page.locator('.wp-block-comments').innerHTML();
    expect(html).toContain('Bold');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('onerror');
    await page.context().close();
  });
});
