<?php
// Edits post POST_ID through WordPress's own wp_update_post() with the fields POST_FIELDS holds
// (JSON), or moves it to the trash with wp_trash_post() when POST_FIELDS is "trash"
// (settings: wp-load.php).
require __DIR__ . '/wp-load.php';
$id = (int) getenv('POST_ID');
$fields = getenv('POST_FIELDS');
$done = $fields === 'trash'
    ? wp_trash_post($id)
    : wp_update_post(array_merge(json_decode($fields, true), ['ID' => $id]), true);
if (!$done || is_wp_error($done)) { fwrite(STDERR, is_wp_error($done) ? $done->get_error_message() : 'not edited'); exit(1); }
echo json_encode(['edited' => $id]);
