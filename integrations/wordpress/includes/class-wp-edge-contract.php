<?php
/**
 * What the plugin and the edge agree on. The same values live in packages/core
 * (src/contract/wordpress-plugin.ts); the plugin's tests check they are equal.
 */
final class WP_Edge_Contract {
	/** The header the router sends every node with the site's origin secret. */
	const ORIGIN_SECRET_HEADER = 'X-WP-Edge-Origin-Secret';
	/** The comment meta key under which the agent keeps each applied comment's edge id. */
	const EDGE_ID_META_KEY = 'wp_edge_id';
	/** The redirect's query parameter naming the comment after an edge form post. */
	const REDIRECT_COMMENT_PARAM = 'wp_edge_comment';
	/** The comment meta key marking a comment whose mails are sent (WordPress's own comments get it in the log). */
	const NOTIFIED_META_KEY = 'wp_edge_notified';
	/** The comment form's "notify me of replies" checkbox. */
	const NOTIFY_REPLIES_FIELD = 'wp_edge_notify_replies';
	/** The comment meta key marking a comment whose author asked to hear of replies. */
	const NOTIFY_REPLIES_META_KEY = 'wp_edge_notify_replies';
	/** The signed cookie carrying a held comment to its author. */
	const HELD_COMMENT_COOKIE = 'wp_edge_held_comment';
	/** WordPress's `comment_approved` for a comment awaiting moderation (core's WP_APPROVED.held). */
	const COMMENT_HELD = '0';
	/** Where the primary hands a reply notification to the comments Worker (its send_email binding). */
	const REPLY_MAIL_PATH = '/api/comments/reply-mail';
	/** The key id of reply mails signed with the origin secret (core's request signature). */
	const REPLY_MAIL_KEY_ID = 'origin-secret';
	/** The first line of core's canonical request (packages/core/src/signing/canonical.ts). */
	const SIGNATURE_SCHEME = 'WP-EDGE-HMAC-SHA256';
}
