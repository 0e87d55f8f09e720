/**
 * What the router and the comments Worker agree on about WordPress's comment form.
 */

/** The hidden field the router adds to every comment form: the node that rendered the page, in whose numbering `comment_parent` is. */
export const RENDERED_BY_FIELD = 'wp_edge_node';
