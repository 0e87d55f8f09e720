<?php
/**
 * Settings, all wp-config.php constants:
 *   WP_EDGE_ORIGIN_SECRET   the site's origin secret (the lock is off without it)
 *   WP_EDGE_ORIGIN_LOCK     false turns the lock off (a migration window)
 *   WP_EDGE_HEALTH_PATH     the site's health.probePath, answered without the secret
 *   WP_EDGE_ROLE            primary or secondary; only the primary sends mail
 *   WP_EDGE_VIEWS_META_KEY  the post meta key the agent writes counts to (views)
 *   WP_EDGE_REPLY_NOTIFICATIONS  true offers commenters mails about replies (off by default)
 */

/** The site's origin secret, or '' when none is set. */
function wp_edge_origin_secret() {
	return defined( 'WP_EDGE_ORIGIN_SECRET' ) ? (string) WP_EDGE_ORIGIN_SECRET : '';
}

/** How reply notifications leave the primary: `email-binding` hands them to the edge, anything else is WordPress's own mail. */
function wp_edge_reply_mail_via() {
	return defined( 'WP_EDGE_REPLY_NOTIFICATIONS_VIA' ) ? (string) WP_EDGE_REPLY_NOTIFICATIONS_VIA : 'wordpress';
}

/** The edge's address for the plugin's own calls: the site's home URL, which the edge serves. */
function wp_edge_edge_url() {
	return defined( 'WP_EDGE_EDGE_URL' ) ? untrailingslashit( (string) WP_EDGE_EDGE_URL ) : untrailingslashit( home_url() );
}

/** Whether this node is the site's primary (a node that does not say so is not). */
function wp_edge_is_primary() {
	return defined( 'WP_EDGE_ROLE' ) && 'primary' === WP_EDGE_ROLE;
}

/** The post meta key view counts are read from. */
function wp_edge_views_meta_key() {
	return defined( 'WP_EDGE_VIEWS_META_KEY' ) ? (string) WP_EDGE_VIEWS_META_KEY : 'views';
}
