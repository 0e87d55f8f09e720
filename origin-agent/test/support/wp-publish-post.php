<?php
// Publishes a post through WordPress's own wp_insert_post(), with an image uploaded through
// wp_upload_bits() and attached as WordPress's media library does; prints the ids and the
// upload's path under wp-content as JSON (settings: wp-load.php, POST_TITLE, IMAGE_NAME).
require __DIR__ . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/image.php';
$png = base64_decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==');
$upload = wp_upload_bits(getenv('IMAGE_NAME'), null, $png . getenv('POST_TITLE'));
if ($upload['error']) { fwrite(STDERR, $upload['error']); exit(1); }
$post = wp_insert_post(['post_title' => getenv('POST_TITLE'), 'post_content' => 'Published through WordPress', 'post_status' => 'publish'], true);
if (is_wp_error($post)) { fwrite(STDERR, $post->get_error_message()); exit(1); }
$attachment = wp_insert_attachment(['post_mime_type' => 'image/png', 'post_title' => getenv('IMAGE_NAME'), 'post_status' => 'inherit'], $upload['file'], $post);
echo json_encode(['postId' => $post, 'attachmentId' => $attachment, 'file' => substr($upload['file'], strlen(WP_CONTENT_DIR) + 1)]);
