<?php
// Fills an installed WordPress with a site's worth of content, in one transaction: POSTS
// posts of a few paragraphs each, and MEDIA small generated PNGs uploaded through WordPress's
// own functions into WP_CONTENT_DIR/uploads and attached to posts as the media library does;
// prints the posts' ids as JSON (settings: wp-load.php, POSTS, MEDIA, WP_CONTENT_DIR).
require __DIR__ . '/../../test/support/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/image.php';
global $wpdb;
wp_defer_term_counting(true);
wp_suspend_cache_invalidation(true);
$wpdb->query('START TRANSACTION');
$words = explode(' ', 'edge node sync post reader comment page theme plugin media upload image gallery archive feed category tag author draft revision schedule publish cache origin tunnel primary secondary backup restore generation manifest chunk table row column index query');
mt_srand(42);
$paragraph = function () use ($words) {
    $sentence = [];
    for ($i = 0; $i < 60; $i++) $sentence[] = $words[mt_rand(0, count($words) - 1)];
    return '<!-- wp:paragraph --><p>' . ucfirst(implode(' ', $sentence)) . '.</p><!-- /wp:paragraph -->';
};
// The posts go in as the rows wp_insert_post() writes (in the Uncategorized category), 500 a
// statement: through wp_insert_post() itself, 10,000 posts take minutes of PHP.
$posts = [];
$total = (int) getenv('POSTS');
$first = (int) $wpdb->get_var("SELECT MAX(ID) FROM $wpdb->posts") + 1;
for ($start = 0; $start < $total; $start += 500) {
    $rows = [];
    $relationships = [];
    for ($i = $start + 1; $i <= min($total, $start + 500); $i++) {
        $id = $first + $i - 1;
        $date = gmdate('Y-m-d H:i:s', 1700000000 + $i * 3600);
        $content = implode("\n\n", [$paragraph(), $paragraph(), $paragraph(), $paragraph()]);
        $rows[] = $wpdb->prepare('(%d, 1, %s, %s, %s, %s, \'\', \'publish\', \'open\', \'open\', %s, \'\', \'\', %s, %s, \'\', 0, %s, 0, \'post\')', $id, $date, $date, $content, "Post $i", "post-$i", $date, $date, "http://127.0.0.1/?p=$id");
        $relationships[] = $wpdb->prepare('(%d, 1, 0)', $id);
        $posts[] = $id;
    }
    $wpdb->query("INSERT INTO $wpdb->posts (ID, post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status, comment_status, ping_status, post_name, to_ping, pinged, post_modified, post_modified_gmt, post_content_filtered, post_parent, guid, menu_order, post_type) VALUES " . implode(',', $rows));
    $wpdb->query("INSERT INTO $wpdb->term_relationships (object_id, term_taxonomy_id, term_order) VALUES " . implode(',', $relationships));
}
$wpdb->query("UPDATE $wpdb->term_taxonomy SET count = count + $total WHERE term_taxonomy_id = 1");
for ($i = 1; $i <= (int) getenv('MEDIA'); $i++) {
    $image = imagecreatetruecolor(64, 64);
    for ($y = 0; $y < 64; $y += 8)
        for ($x = 0; $x < 64; $x += 8)
            imagefilledrectangle($image, $x, $y, $x + 7, $y + 7, mt_rand(0, 0xffffff));
    ob_start();
    imagepng($image);
    $upload = wp_upload_bits("media-$i.png", null, ob_get_clean(), gmdate('Y/m', 1700000000 + $i * 86400));
    if ($upload['error']) { fwrite(STDERR, $upload['error']); exit(1); }
    $parent = $posts[($i * 37) % count($posts)];
    $attachment = wp_insert_attachment(['post_mime_type' => 'image/png', 'post_title' => "media-$i", 'post_status' => 'inherit'], $upload['file'], $parent);
    wp_update_attachment_metadata($attachment, wp_generate_attachment_metadata($attachment, $upload['file']));
    set_post_thumbnail($parent, $attachment);
}
$wpdb->query('COMMIT');
wp_defer_term_counting(false);
echo json_encode($posts);
