<?php
// Prints, as WordPress itself links them, the front page, the site's feeds, and the page and
// comments feed and shortlink of each post POST_IDS lists (comma-separated), as JSON (settings: wp-load.php).
require __DIR__ . '/wp-load.php';
$posts = [];
foreach (array_filter(explode(',', getenv('POST_IDS'))) as $id) {
    $posts[$id] = [
        'page' => get_permalink((int) $id),
        'commentsFeed' => get_post_comments_feed_link((int) $id),
        'shortlink' => wp_get_shortlink((int) $id),
    ];
}
echo json_encode([
    'front' => home_url('/'),
    'feeds' => [get_feed_link('rss2'), get_feed_link('comments_rss2')],
    'posts' => $posts,
], JSON_UNESCAPED_SLASHES);
