<?php
/**
 * Reply notifications for commenters (WP_EDGE_REPLY_NOTIFICATIONS, off by default; the site's
 * `comments.replyNotifications` at the edge must be on too). The comment form gets a "Notify me
 * of replies" checkbox; the edge carries the reader's wish and the agent marks their comment
 * (`wp_edge_notify_replies` meta). On the primary, each approved reply to a marked comment
 * (the owner's in wp-admin, one through the REST API, a reader's through the edge) is mailed
 * to its author once, through WordPress's own mail (or handed to the edge's send_email binding,
 * edge-mail.php), with a signed one-click unsubscribe (RFC 8058). The address is the comment's own; unsubscribing deletes the mark.
 */

const WP_EDGE_REPLY_NOTIFIED_META = 'wp_edge_reply_notified';
const WP_EDGE_UNSUBSCRIBE_PARAM   = 'wp_edge_unsubscribe';
const WP_EDGE_UNSUBSCRIBE_SIG     = 'signature';

function wp_edge_reply_notifications_enabled() {
	return defined( 'WP_EDGE_REPLY_NOTIFICATIONS' ) && WP_EDGE_REPLY_NOTIFICATIONS;
}

/** The checkbox, just above the form's submit button. */
function wp_edge_reply_checkbox( $submit_field ) {
	$field = WP_Edge_Contract::NOTIFY_REPLIES_FIELD;
	return sprintf(
		'<p class="comment-form-wp-edge-notify"><input id="%1$s" name="%1$s" type="checkbox" value="1" /> <label for="%1$s">%2$s</label></p>',
		esc_attr( $field ),
		esc_html__( 'Notify me of replies by email' )
	) . $submit_field;
}

/** The same on every node: the origin secret, or this install's salt when there is none. */
function wp_edge_unsubscribe_signature( $edge_id ) {
	$secret = wp_edge_origin_secret();
	return hash_hmac( 'sha256', 'unsubscribe|' . $edge_id, '' !== $secret ? $secret : wp_salt( 'auth' ) );
}

function wp_edge_unsubscribe_url( $edge_id ) {
	return add_query_arg(
		array(
			WP_EDGE_UNSUBSCRIBE_PARAM => rawurlencode( $edge_id ),
			WP_EDGE_UNSUBSCRIBE_SIG   => wp_edge_unsubscribe_signature( $edge_id ),
		),
		home_url( '/' )
	);
}

/** The comment a reply answers, when its author asked to hear of replies and the reply is someone else's. */
function wp_edge_subscribed_parent( $reply ) {
	if ( ! $reply || '1' !== (string) $reply->comment_approved || ! $reply->comment_parent ) {
		return null;
	}
	$parent = get_comment( (int) $reply->comment_parent );
	if ( ! $parent || '1' !== get_comment_meta( (int) $parent->comment_ID, WP_Edge_Contract::NOTIFY_REPLIES_META_KEY, true )
		|| ! is_email( $parent->comment_author_email )
		|| 0 === strcasecmp( $parent->comment_author_email, (string) $reply->comment_author_email ) ) {
		return null;
	}
	return $parent;
}

/** Mails the parent's author about an approved reply, once per reply, from the primary only. */
function wp_edge_notify_reply( $reply_id ) {
	if ( ! wp_edge_reply_notifications_enabled() || ! wp_edge_is_primary() ) {
		return;
	}
	$reply   = get_comment( (int) $reply_id );
	$parent  = wp_edge_subscribed_parent( $reply );
	$edge_id = $parent ? (string) get_comment_meta( (int) $parent->comment_ID, WP_Edge_Contract::EDGE_ID_META_KEY, true ) : '';
	if ( '' === $edge_id || ! add_comment_meta( (int) $reply->comment_ID, WP_EDGE_REPLY_NOTIFIED_META, time(), true ) ) {
		return;
	}
	$blog        = wp_specialchars_decode( get_option( 'blogname' ), ENT_QUOTES );
	$title       = wp_specialchars_decode( get_the_title( (int) $reply->comment_post_ID ), ENT_QUOTES );
	$unsubscribe = wp_edge_unsubscribe_url( $edge_id );
	$body        = sprintf(
		"%s replied to your comment on \"%s\":\n\n%s\n\nRead it: %s\n\nYou asked to hear of replies to your comment. To stop: %s\n",
		$reply->comment_author,
		$title,
		wp_strip_all_tags( $reply->comment_content ),
		get_comment_link( $reply ),
		$unsubscribe
	);
	$subject     = sprintf( '[%s] New reply to your comment on "%s"', $blog, $title );
	if ( 'email-binding' === wp_edge_reply_mail_via() ) {
		// Not sent: the mark goes, so the reply's next approval or scan tries again.
		if ( ! wp_edge_send_reply_mail_through_edge( $edge_id, $parent->comment_author_email, $subject, $body, $unsubscribe ) ) {
			delete_comment_meta( (int) $reply->comment_ID, WP_EDGE_REPLY_NOTIFIED_META );
		}
		return;
	}
	add_action( 'phpmailer_init', 'wp_edge_send_headers_unencoded', PHP_INT_MAX );
	wp_mail(
		$parent->comment_author_email,
		$subject,
		$body,
		array(
			'List-Unsubscribe: <' . $unsubscribe . '>',
			'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
		)
	);
	remove_action( 'phpmailer_init', 'wp_edge_send_headers_unencoded', PHP_INT_MAX );
}

/**
 * Through PHP's mail(), PHPMailer Q-encodes every header longer than about 47 characters,
 * which no mail client reads back as the unsubscribe URL. Sendmail (what mail() runs on
 * Linux) takes headers up to 998 characters as they are; an SMTP setup is left alone.
 */
function wp_edge_send_headers_unencoded( $phpmailer ) {
	if ( 'mail' === $phpmailer->Mailer ) {
		$phpmailer->isSendmail();
	}
}

function wp_edge_notify_reply_on_insert( $comment_id ) {
	wp_edge_notify_reply( $comment_id );
}

function wp_edge_notify_reply_on_approve( $new_status, $old_status, $comment ) {
	if ( 'approved' === $new_status ) {
		wp_edge_notify_reply( $comment->comment_ID );
	}
}

/**
 * The unsubscribe link. A POST (the mail client's one-click, RFC 8058, or the button below)
 * deletes the mark; a GET only asks, since mail scanners open links.
 */
function wp_edge_handle_unsubscribe() {
	if ( ! isset( $_GET[ WP_EDGE_UNSUBSCRIBE_PARAM ] ) ) {
		return;
	}
	$edge_id   = (string) wp_unslash( $_GET[ WP_EDGE_UNSUBSCRIBE_PARAM ] );
	$signature = isset( $_GET[ WP_EDGE_UNSUBSCRIBE_SIG ] ) ? (string) wp_unslash( $_GET[ WP_EDGE_UNSUBSCRIBE_SIG ] ) : '';
	nocache_headers();
	if ( ! hash_equals( wp_edge_unsubscribe_signature( $edge_id ), $signature ) ) {
		wp_die( esc_html__( 'This unsubscribe link is not valid.' ), esc_html__( 'Unsubscribe' ), array( 'response' => 403 ) );
	}
	if ( 'POST' === ( isset( $_SERVER['REQUEST_METHOD'] ) ? $_SERVER['REQUEST_METHOD'] : '' ) ) {
		$comment = wp_edge_local_comment( $edge_id );
		if ( $comment ) {
			delete_comment_meta( (int) $comment->comment_ID, WP_Edge_Contract::NOTIFY_REPLIES_META_KEY );
		}
		wp_die( esc_html__( 'You will get no more mails about replies to this comment.' ), esc_html__( 'Unsubscribed' ), array( 'response' => 200 ) );
	}
	wp_die(
		sprintf(
			'<form method="post" action="%s"><p>%s</p><input type="hidden" name="List-Unsubscribe" value="One-Click" /><button type="submit">%s</button></form>',
			esc_url( wp_edge_unsubscribe_url( $edge_id ) ),
			esc_html__( 'Stop the mails about replies to your comment?' ),
			esc_html__( 'Unsubscribe' )
		),
		esc_html__( 'Unsubscribe' ),
		array( 'response' => 200 )
	);
}

function wp_edge_reply_notifications_init() {
	if ( ! wp_edge_reply_notifications_enabled() ) {
		return;
	}
	add_filter( 'comment_form_submit_field', 'wp_edge_reply_checkbox' );
	add_action( 'wp_insert_comment', 'wp_edge_notify_reply_on_insert' );
	add_action( 'transition_comment_status', 'wp_edge_notify_reply_on_approve', 10, 3 );
	add_action( 'init', 'wp_edge_handle_unsubscribe', 0 );
}
