<?php
/**
 * Plugin Name: wp-edge
 * Description: WordPress's side of wp-edge: locks the origin to the edge, sends WordPress's comment mails for edge comments, shows view counts, and shows commenters their held comment.
 * Version: 0.1.0
 * Requires at least: 6.1
 * Requires PHP: 8.1
 * License: MIT
 *
 * Works as a plugin (wp-content/plugins/wp-edge/) or as a mu-plugin (this folder in
 * wp-content/mu-plugins/ with a one-line loader that requires this file). Settings are
 * wp-config.php constants; see readme.txt.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

require_once __DIR__ . '/includes/class-wp-edge-contract.php';
require_once __DIR__ . '/includes/settings.php';
require_once __DIR__ . '/includes/origin-lock.php';
require_once __DIR__ . '/includes/notifications.php';
require_once __DIR__ . '/includes/views.php';
require_once __DIR__ . '/includes/held-comment.php';
require_once __DIR__ . '/includes/comment-anchor.php';
require_once __DIR__ . '/includes/edge-mail.php';
require_once __DIR__ . '/includes/reply-notifications.php';

// Before anything else runs: a request that bypassed the edge ends here.
wp_edge_enforce_origin_lock();
wp_edge_notifications_init();
wp_edge_views_init();
wp_edge_held_comment_init();
wp_edge_comment_anchor_init();
wp_edge_reply_notifications_init();
