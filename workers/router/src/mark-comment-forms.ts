import { RENDERED_BY_FIELD } from '@wp-edge/core';
import type { SiteNode } from './pick-node.ts';

/**
 * Adds the rendering node's id to every WordPress comment form of an HTML page, so a reply
 * posted from it threads under the right parent on every node (comment ids differ per node).
 */
export function markCommentForms(response: Response, node: SiteNode): Response {
  if (!response.headers.get('content-type')?.includes('text/html')) return response;
  return new HTMLRewriter()
    .on('form[action$="wp-comments-post.php"]', {
      element(form) {
        form.append(`<input type="hidden" name="${RENDERED_BY_FIELD}" value="${node.id}">`, {
          html: true,
        });
      },
    })
    .transform(response);
}
