<?php
/**
 * The origin lock: a request that does not carry the site's origin secret did not come
 * through the edge (it found the node's own address or tunnel), so it gets a 403.
 */

/** Whether this request may skip the secret: the CLI, WordPress's own cron from this machine, or the exact health probe. */
function wp_edge_origin_lock_exempt() {
	if ( 'cli' === PHP_SAPI ) {
		return true;
	}
	$remote = isset( $_SERVER['REMOTE_ADDR'] ) ? (string) $_SERVER['REMOTE_ADDR'] : '';
	if ( defined( 'DOING_CRON' ) && DOING_CRON && ( '::1' === $remote || 0 === strpos( $remote, '127.' ) ) ) {
		return true;
	}
	$method = isset( $_SERVER['REQUEST_METHOD'] ) ? (string) $_SERVER['REQUEST_METHOD'] : '';
	$uri    = isset( $_SERVER['REQUEST_URI'] ) ? (string) $_SERVER['REQUEST_URI'] : '';
	// The whole URI must match, query included, or `/health?p=1` would serve post 1; and `/`
	// is never exempt, as it is the home page (the probe carries the secret anyway).
	return defined( 'WP_EDGE_HEALTH_PATH' ) && '/' !== WP_EDGE_HEALTH_PATH
		&& WP_EDGE_HEALTH_PATH === $uri && in_array( $method, array( 'GET', 'HEAD' ), true );
}

/** Whether the request carries the site's origin secret, compared in constant time. */
function wp_edge_has_origin_secret( $secret ) {
	$key   = 'HTTP_' . strtoupper( str_replace( '-', '_', WP_Edge_Contract::ORIGIN_SECRET_HEADER ) );
	$given = isset( $_SERVER[ $key ] ) ? (string) $_SERVER[ $key ] : '';
	return hash_equals( $secret, $given );
}

/** Refuses the request with 403 unless it carries the secret or is exempt; a no-op while the lock is off. */
function wp_edge_enforce_origin_lock() {
	$secret = wp_edge_origin_secret();
	if ( '' === $secret || ( defined( 'WP_EDGE_ORIGIN_LOCK' ) && ! WP_EDGE_ORIGIN_LOCK ) ) {
		return;
	}
	// WordPress's own cron request to this node carries the secret, so it passes wherever it goes.
	add_filter( 'cron_request', 'wp_edge_sign_cron_request' );
	if ( wp_edge_origin_lock_exempt() || wp_edge_has_origin_secret( $secret ) ) {
		return;
	}
	status_header( 403 );
	nocache_headers();
	header( 'Content-Type: text/plain; charset=utf-8' );
	echo "This site is served through its edge; this address does not answer directly.\n";
	exit;
}

/** Adds the origin secret to WordPress's loopback request to wp-cron.php. */
function wp_edge_sign_cron_request( $request ) {
	$request['args']['headers'][ WP_Edge_Contract::ORIGIN_SECRET_HEADER ] = wp_edge_origin_secret();
	return $request;
}
