<?php
/**
 * After an edge form post the commenter lands on `?wp_edge_comment=<id>&wp_edge_status=held`,
 * often before the comment has reached this node. The comments Worker sets a cookie signed
 * with the site's origin secret that carries the comment; this shows it to that reader, in
 * the post's comments, marked "Your comment is awaiting moderation." as WordPress does.
 */

/** The id WordPress sees for a comment not yet on this node; no real comment has it. */
const WP_EDGE_PREVIEW_COMMENT_ID = PHP_INT_MAX;

function wp_edge_base64url_decode( $text ) {
	return base64_decode( strtr( $text, '-_', '+/' ), true );
}

/** The held comment the request's cookie carries, when its signature, id and age check out; else null. */
function wp_edge_held_comment_from_request() {
	$id     = isset( $_GET[ WP_Edge_Contract::REDIRECT_COMMENT_PARAM ] ) ? (string) $_GET[ WP_Edge_Contract::REDIRECT_COMMENT_PARAM ] : '';
	$cookie = isset( $_COOKIE[ WP_Edge_Contract::HELD_COMMENT_COOKIE ] ) ? (string) $_COOKIE[ WP_Edge_Contract::HELD_COMMENT_COOKIE ] : '';
	$secret = wp_edge_origin_secret();
	$parts  = explode( '.', $cookie );
	if ( '' === $id || '' === $secret || 2 !== count( $parts ) ) {
		return null;
	}
	$mac = rtrim( strtr( base64_encode( hash_hmac( 'sha256', $parts[0], $secret, true ) ), '+/', '-_' ), '=' );
	if ( ! hash_equals( $mac, $parts[1] ) ) {
		return null;
	}
	$held = json_decode( (string) wp_edge_base64url_decode( $parts[0] ), true );
	if ( ! is_array( $held ) || ! isset( $held['id'], $held['postId'], $held['expires'] )
		|| $held['id'] !== $id || (int) $held['expires'] < time() ) {
		return null;
	}
	return $held;
}

/** The node's copy of an edge comment, if it has arrived. */
function wp_edge_local_comment( $edge_id ) {
	global $wpdb;
	$comment_id = $wpdb->get_var(
		$wpdb->prepare(
			"SELECT comment_id FROM {$wpdb->commentmeta} WHERE meta_key = %s AND meta_value = %s LIMIT 1",
			WP_Edge_Contract::EDGE_ID_META_KEY,
			$edge_id
		)
	);
	return $comment_id ? get_comment( (int) $comment_id ) : null;
}

/** A WP_Comment for the cookie's comment, filtered as WordPress filters a new anonymous one. */
function wp_edge_preview_comment( $held ) {
	$data    = wp_unslash(
		wp_filter_comment(
			wp_slash(
				array(
					'comment_author'       => (string) $held['author'],
					'comment_author_email' => '',
					'comment_author_url'   => (string) $held['authorUrl'],
					'comment_content'      => (string) $held['content'],
					'comment_author_IP'    => '',
					'comment_agent'        => '',
					'user_id'              => 0,
				)
			)
		)
	);
	$date    = gmdate( 'Y-m-d H:i:s', (int) strtotime( (string) $held['date'] ) );
	$comment = new WP_Comment(
		(object) array(
			'comment_ID'           => (string) WP_EDGE_PREVIEW_COMMENT_ID,
			'comment_post_ID'      => (string) (int) $held['postId'],
			'comment_author'       => $data['comment_author'],
			'comment_author_email' => '',
			'comment_author_url'   => $data['comment_author_url'],
			'comment_author_IP'    => '',
			'comment_date'         => get_date_from_gmt( $date ),
			'comment_date_gmt'     => $date,
			'comment_content'      => $data['comment_content'],
			'comment_karma'        => '0',
			'comment_approved'     => WP_Edge_Contract::COMMENT_HELD,
			'comment_agent'        => '',
			'comment_type'         => 'comment',
			'comment_parent'       => '0',
			'user_id'              => '0',
		)
	);
	// Blocks look comments up by id; the cache is where they find this one.
	wp_cache_set( WP_EDGE_PREVIEW_COMMENT_ID, $comment, 'comment' );
	return $comment;
}

/** Adds the reader's held comment to the post's comments, unless it is there already. */
function wp_edge_show_held_comment( $comments, $query ) {
	if ( is_admin() ) {
		return $comments;
	}
	$held = wp_edge_held_comment_from_request();
	if ( ! $held || (int) $query->query_vars['post_id'] !== (int) $held['postId'] ) {
		return $comments;
	}
	foreach ( $comments as $comment ) {
		if ( get_comment_meta( $comment->comment_ID, WP_Edge_Contract::EDGE_ID_META_KEY, true ) === $held['id'] ) {
			return $comments;
		}
	}
	$local = wp_edge_local_comment( $held['id'] );
	if ( $local ) {
		// Arrived: shown while it still awaits moderation; approved it is in the list, spam never shows.
		if ( WP_Edge_Contract::COMMENT_HELD === $local->comment_approved ) {
			$comments[] = $local;
		}
		return $comments;
	}
	$comments[] = wp_edge_preview_comment( $held );
	return $comments;
}

function wp_edge_held_comment_init() {
	add_filter( 'the_comments', 'wp_edge_show_held_comment', 10, 2 );
}
