<?php
/**
 * The redirect after an edge form post ends in `#comment-<edge id>`; WordPress's pages only
 * have `#comment-<this node's id>`. Each edge comment (and the held preview, which has no
 * node id yet) gets an empty element with the edge's anchor at the top of its text, so the
 * browser lands on the comment.
 */

/** The edge id of a comment: its `wp_edge_id` meta, or the held cookie's id for the preview. */
function wp_edge_comment_edge_id( $comment ) {
	if ( ! $comment instanceof WP_Comment ) {
		return '';
	}
	if ( (string) WP_EDGE_PREVIEW_COMMENT_ID === (string) $comment->comment_ID ) {
		$held = wp_edge_held_comment_from_request();
		return $held ? (string) $held['id'] : '';
	}
	return (string) get_comment_meta( (int) $comment->comment_ID, WP_Edge_Contract::EDGE_ID_META_KEY, true );
}

function wp_edge_comment_anchor_html( $edge_id ) {
	return sprintf( '<span id="%s" class="wp-edge-comment-anchor"></span>', esc_attr( 'comment-' . $edge_id ) );
}

/** Classic themes: the anchor in `comment_text()`'s output. */
function wp_edge_anchor_comment_text( $text, $comment = null ) {
	$edge_id = is_admin() ? '' : wp_edge_comment_edge_id( $comment );
	return '' === $edge_id ? $text : wp_edge_comment_anchor_html( $edge_id ) . $text;
}

/**
 * Block themes: the comment-content block strips every tag from a held comment's text when
 * the reader has no comment cookies, so the anchor goes in front of the block's output,
 * unless `comment_text` already put it there.
 */
function wp_edge_anchor_comment_block( $content, $block, $instance ) {
	$comment_id = isset( $instance->context['commentId'] ) ? $instance->context['commentId'] : 0;
	$edge_id    = wp_edge_comment_edge_id( get_comment( $comment_id ) );
	if ( '' === $edge_id || '' === $content ) {
		return $content;
	}
	$anchor = wp_edge_comment_anchor_html( $edge_id );
	return false === strpos( $content, $anchor ) ? $anchor . $content : $content;
}

function wp_edge_comment_anchor_init() {
	add_filter( 'comment_text', 'wp_edge_anchor_comment_text', 10, 2 );
	add_filter( 'render_block_core/comment-content', 'wp_edge_anchor_comment_block', 10, 3 );
}
