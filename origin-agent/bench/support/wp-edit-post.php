<?php
// Edits a post as its author saving it in the editor does, through WordPress's own
// wp_update_post(); prints the moment the save returned, in milliseconds since the epoch, as
// JSON (settings: wp-load.php, POST_ID, POST_TITLE).
require __DIR__ . '/../../test/support/wp-load.php';
wp_set_current_user(1);
$post = get_post((int) getenv('POST_ID'));
$saved = wp_update_post(['ID' => $post->ID, 'post_title' => getenv('POST_TITLE'), 'post_content' => $post->post_content . "\n\n<!-- wp:paragraph --><p>Updated.</p><!-- /wp:paragraph -->"], true);
if (is_wp_error($saved)) { fwrite(STDERR, $saved->get_error_message()); exit(1); }
echo json_encode(['savedAtMs' => microtime(true) * 1000]);
