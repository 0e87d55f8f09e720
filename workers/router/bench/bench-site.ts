// What the router benchmarks load: a blog post with WordPress's comment form, served by a real
// HTTP origin on loopback, the site that origin is the node of, and the bare Workers the
// router's figures are measured against.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RENDERED_BY_FIELD, SiteSettings } from '@wp-edge/core';
import type { RunningWorkers } from '@wp-edge/workerd-kit';

/** The post at `path`, as the origin serves it. */
export const page = (path: string | undefined) =>
  `<!doctype html><title>Post</title><p>${path}</p><form action="/wp-comments-post.php" method="post" id="commentform"><textarea name="comment"></textarea><input type="hidden" name="comment_post_ID" value="1"></form>`;

/** The post's path, and the cookie that makes a read of it uncacheable (a commenter's). */
export const POST_PATH = '/hello-world/';
export const UNCACHED_HEADERS = { cookie: 'comment_author_x=reader' };

/** Starts the origin on 127.0.0.2; answers it and its URL. */
export async function startOrigin(): Promise<{ server: Server; originUrl: string }> {
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' });
    response.end(page(request.url));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
  return { server, originUrl: `http://127.0.0.2:${(server.address() as AddressInfo).port}` };
}

/** Publishes the site of `127.0.0.1` with the origin as its one node, as the CLI would. */
export async function publishBenchSite(edge: RunningWorkers, originUrl: string): Promise<void> {
  const kv = await edge.miniflare.getKVNamespace('SITE_CONFIG', 'wp-edge-router');
  await kv.put(
    'host:127.0.0.1',
    JSON.stringify({
      id: 'bench',
      hosts: ['127.0.0.1'],
      settings: SiteSettings.parse({}),
      nodes: [{ id: 'a', originUrl, role: 'primary', weight: 100 }],
      publishedAt: new Date().toISOString(),
    }),
  );
}

/** A Worker that fetches the same path from the origin and passes the answer on. */
export const passThroughWorker = (originUrl: string) => ({
  name: 'pass-through',
  modules: true,
  compatibilityDate: '2026-10-15',
  script: `export default { fetch(request) { const url = new URL(request.url); return fetch('${originUrl}' + url.pathname + url.search); } };`,
});

/**
 * The same pass-through with the one change the router makes to every HTML page it passes on:
 * the rendering node's id added to the comment form (`mark-comment-forms.ts`), through the
 * same HTMLRewriter. What an uncached read through the router can at best come to.
 */
export const rewritingPassThroughWorker = (originUrl: string) => ({
  name: 'rewriting-pass-through',
  modules: true,
  compatibilityDate: '2026-10-15',
  script: `export default { async fetch(request) {
    const url = new URL(request.url);
    const response = await fetch('${originUrl}' + url.pathname + url.search);
    return new HTMLRewriter().on('form[action$="wp-comments-post.php"]', {
      element(form) { form.append('<input type="hidden" name="${RENDERED_BY_FIELD}" value="a">', { html: true }); },
    }).transform(response);
  } };`,
});
