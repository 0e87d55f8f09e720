<?php
/**
 * Reply notifications handed to the edge, for a site without working mail
 * (WP_EDGE_REPLY_NOTIFICATIONS_VIA = 'email-binding', the site's
 * `comments.replyNotificationsVia` at the edge): the comments Worker sends them through its
 * Cloudflare send_email binding. The request carries core's request signature
 * (packages/core/src/signing/), keyed by the origin secret.
 */

/** The signature headers of a request, as core's signRequest makes them. */
function wp_edge_signature_headers( $method, $url, $body ) {
	$timestamp = (string) time();
	$nonce     = bin2hex( random_bytes( 16 ) );
	$path      = (string) wp_parse_url( $url, PHP_URL_PATH );
	$canonical = implode(
		"\n",
		array( WP_Edge_Contract::SIGNATURE_SCHEME, strtoupper( $method ), '' !== $path ? $path : '/', '', $timestamp, $nonce, hash( 'sha256', $body ) )
	);
	return array(
		'x-wp-edge-key-id'    => WP_Edge_Contract::REPLY_MAIL_KEY_ID,
		'x-wp-edge-timestamp' => $timestamp,
		'x-wp-edge-nonce'     => $nonce,
		'x-wp-edge-signature' => 'v1=' . hash_hmac( 'sha256', $canonical, wp_edge_origin_secret() ),
	);
}

/** Hands one reply notification to the edge; true once the edge has sent it. */
function wp_edge_send_reply_mail_through_edge( $edge_id, $to, $subject, $text, $unsubscribe ) {
	$url      = wp_edge_edge_url() . WP_Edge_Contract::REPLY_MAIL_PATH;
	$body     = wp_json_encode(
		array(
			'commentId'      => (string) $edge_id,
			'to'             => (string) $to,
			'subject'        => (string) $subject,
			'text'           => (string) $text,
			'unsubscribeUrl' => (string) $unsubscribe,
		)
	);
	$response = wp_remote_post(
		$url,
		array(
			'body'    => $body,
			'headers' => array_merge( array( 'content-type' => 'application/json' ), wp_edge_signature_headers( 'POST', $url, $body ) ),
			'timeout' => 10,
		)
	);
	$status = is_wp_error( $response ) ? 0 : (int) wp_remote_retrieve_response_code( $response );
	if ( 202 !== $status ) {
		error_log( sprintf( 'wp-edge: the edge did not send the reply notification for comment %s: %s', $edge_id, is_wp_error( $response ) ? $response->get_error_message() : $status . ' ' . wp_remote_retrieve_body( $response ) ) );
		return false;
	}
	return true;
}
