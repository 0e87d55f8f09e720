import {
  HELD_COMMENT_COOKIE,
  HELD_COMMENT_TTL_SECONDS,
  ORIGIN_SECRET_HEADER,
  signHeldComment,
} from '@wp-edge/core';
import { chromiumLaunch } from '@wp-edge/workerd-kit';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEdgeComment } from './support/edge-comment.ts';
import { startWordPressSite, type WordPressSite } from './support/wordpress-site.ts';

const SECRET = 'origin-secret-for-comment-anchors-0123456789';

let site: WordPressSite;
let browser: Browser;

beforeAll(async () => {
  [site, browser] = await Promise.all([
    startWordPressSite({ address: '127.0.0.107', constants: { WP_EDGE_ORIGIN_SECRET: SECRET } }),
    chromium.launch(chromiumLaunch()),
  ]);
});
afterAll(async () => {
  await Promise.all([site?.stop(), browser?.close()]);
});

/** Follows the edge's redirect after a form post, as the reader's browser does, with the cookie when the comment was held. */
async function land(id: string, held?: { content: string }): Promise<Page> {
  const context = await browser.newContext({
    extraHTTPHeaders: { [ORIGIN_SECRET_HEADER]: SECRET },
  });
  if (held) {
    const cookie = await signHeldComment(
      {
        id,
        postId: 1,
        author: 'Ann Reader',
        authorUrl: '',
        content: held.content,
        date: new Date().toISOString(),
        expires: Math.floor(Date.now() / 1000) + HELD_COMMENT_TTL_SECONDS,
      },
      SECRET,
    );
    await context.addCookies([{ name: HELD_COMMENT_COOKIE, value: cookie, url: site.url }]);
  }
  const page = await context.newPage();
  const status = held ? '&wp_edge_status=held' : '';
  await page.goto(`${site.url}/?p=1&wp_edge_comment=${id}${status}#comment-${id}`);
  return page;
}

/** The text of the comment the browser's `:target` (the element the URL's anchor names) is in. */
const targetedComment = (page: Page) =>
  page.locator(':target').locator('xpath=ancestor::li[1]').textContent();

describe('the anchor the edge’s redirect ends in', () => {
  it('is on the approved comment once the node has it', async () => {
    const id = '01JANCHORAPPROVED000000000';
    await applyEdgeComment(site.db, { edgeId: id, content: 'Approved words', approved: '1' });
    const page = await land(id);
    expect(await page.locator(`#comment-${id}`).count()).toBe(1);
    expect(await targetedComment(page)).toContain('Approved words');
    await page.context().close();
  });

  it('is on the held comment shown to its author before it reached the node', async () => {
    const id = '01JANCHORPREVIEW0000000000';
    const page = await land(id, { content: 'Preview words' });
    expect(await page.locator(`#comment-${id}`).count()).toBe(1);
    expect(await targetedComment(page)).toContain('Preview words');
    await page.context().close();
  });

  it('is on the node’s own held copy, shown to its author', async () => {
    const id = '01JANCHORHELDONNODE0000000';
    await applyEdgeComment(site.db, { edgeId: id, content: 'Held on node', approved: '0' });
    const page = await land(id, { content: 'Held on node' });
    expect(await page.locator(`#comment-${id}`).count()).toBe(1);
    expect(await targetedComment(page)).toContain('Held on node');
    await page.context().close();
  });

  it('is in a classic theme’s comment_text() too', async () => {
    const id = '01JANCHORCLASSIC0000000000';
    const commentId = await applyEdgeComment(site.db, {
      edgeId: id,
      content: 'Classic words',
      approved: '1',
    });
    const html = await site.cli(`comment_text(${commentId});`);
    expect(html).toContain(`<span id="comment-${id}" class="wp-edge-comment-anchor"></span>`);
    expect(html).toContain('Classic words');
  });
});
