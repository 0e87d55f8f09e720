<?php
/**
 * WordPress's own comment mails for comments the agent applied. The agent writes them
 * straight into the database, so `wp_new_comment` and its mails never run; a scan every
 * minute (WP-Cron) finds new `wp_edge_id` rows past a stored high-water mark and sends what
 * WordPress would have sent, per the Discussion settings. Each comment is marked in
 * commentmeta before its mail goes out, so it is mailed at most once. Only the primary mails.
 */

const WP_EDGE_NOTIFY_HOOK     = 'wp_edge_notify_scan';
const WP_EDGE_NOTIFY_MARK     = 'wp_edge_notify_mark';
const WP_EDGE_NOTIFY_BATCH    = 200;

function wp_edge_notifications_init() {
	add_filter( 'cron_schedules', 'wp_edge_cron_schedules' );
	add_action( WP_EDGE_NOTIFY_HOOK, 'wp_edge_notify_scan' );
	add_action( 'init', 'wp_edge_schedule_notifications' );
}

function wp_edge_cron_schedules( $schedules ) {
	$schedules['wp_edge_minute'] = array(
		'interval' => MINUTE_IN_SECONDS,
		'display'  => 'Every minute (wp-edge)',
	);
	return $schedules;
}

/** The newest edge comment's meta id: where a fresh install starts, so old comments are not mailed. */
function wp_edge_newest_edge_meta_id() {
	global $wpdb;
	return (int) $wpdb->get_var(
		$wpdb->prepare( "SELECT MAX(meta_id) FROM {$wpdb->commentmeta} WHERE meta_key = %s", WP_Edge_Contract::EDGE_ID_META_KEY )
	);
}

/** On the primary, sets the starting mark once and keeps the scan scheduled; elsewhere, unschedules it. */
function wp_edge_schedule_notifications() {
	if ( wp_installing() ) {
		return;
	}
	if ( ! wp_edge_is_primary() ) {
		if ( wp_next_scheduled( WP_EDGE_NOTIFY_HOOK ) ) {
			wp_clear_scheduled_hook( WP_EDGE_NOTIFY_HOOK );
		}
		return;
	}
	if ( false === get_option( WP_EDGE_NOTIFY_MARK ) ) {
		add_option( WP_EDGE_NOTIFY_MARK, wp_edge_newest_edge_meta_id() );
	}
	if ( ! wp_next_scheduled( WP_EDGE_NOTIFY_HOOK ) ) {
		wp_schedule_event( time(), 'wp_edge_minute', WP_EDGE_NOTIFY_HOOK );
	}
}

/**
 * Sends the mails for edge comments applied since the last scan; returns how many comments
 * it looked at. A database lock keeps two scans (two cron runs) from mailing the same comment.
 */
function wp_edge_notify_scan() {
	global $wpdb;
	if ( ! wp_edge_is_primary() ) {
		return 0;
	}
	$lock = 'wp_edge_notify_' . $wpdb->prefix;
	if ( '1' !== (string) $wpdb->get_var( $wpdb->prepare( 'SELECT GET_LOCK(%s, 0)', $lock ) ) ) {
		return 0;
	}
	try {
		$rows = $wpdb->get_results(
			$wpdb->prepare(
				"SELECT meta_id, comment_id FROM {$wpdb->commentmeta} WHERE meta_key = %s AND meta_id > %d ORDER BY meta_id LIMIT %d",
				WP_Edge_Contract::EDGE_ID_META_KEY,
				(int) get_option( WP_EDGE_NOTIFY_MARK, 0 ),
				WP_EDGE_NOTIFY_BATCH
			)
		);
		foreach ( $rows as $row ) {
			wp_edge_notify_comment( (int) $row->comment_id );
			update_option( WP_EDGE_NOTIFY_MARK, (int) $row->meta_id );
		}
		return count( $rows );
	} finally {
		$wpdb->query( $wpdb->prepare( 'SELECT RELEASE_LOCK(%s)', $lock ) );
	}
}

/** WordPress's own "Please moderate" and "New comment" mails for one comment, once. */
function wp_edge_notify_comment( $comment_id ) {
	if ( ! add_comment_meta( $comment_id, WP_Edge_Contract::NOTIFIED_META_KEY, time(), true ) ) {
		return;
	}
	// Both check the Discussion settings (moderation_notify, comments_notify) and the comment's status.
	wp_new_comment_notify_moderator( $comment_id );
	wp_new_comment_notify_postauthor( $comment_id );
	wp_edge_notify_reply( $comment_id );
}
