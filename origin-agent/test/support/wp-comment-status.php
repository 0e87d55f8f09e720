<?php
// The owner's verdict in wp-admin: WordPress's own wp_set_comment_status() on one comment
// (settings: wp-load.php, COMMENT_ID, COMMENT_STATUS: approve, hold, spam or trash).
require __DIR__ . '/wp-load.php';
$done = wp_set_comment_status((int) getenv('COMMENT_ID'), getenv('COMMENT_STATUS'), true);
if (is_wp_error($done) || !$done) { fwrite(STDERR, is_wp_error($done) ? $done->get_error_message() : 'not changed'); exit(1); }
echo 'ok';
