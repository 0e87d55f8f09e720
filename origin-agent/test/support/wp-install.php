<?php
// Installs a real WordPress schema into an existing database with WordPress's own installer,
// then publishes EXTRA_POSTS posts, and prints their ids as JSON (settings: wp-load.php).
define('WP_INSTALLING', true);
require __DIR__ . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('wp-edge test', 'admin', 'admin@example.com', true, '', 'adminpass');
$ids = [];
for ($i = 1; $i <= (int) getenv('EXTRA_POSTS'); $i++) {
    $ids[] = wp_insert_post(['post_title' => "Post $i", 'post_content' => 'Hello', 'post_status' => 'publish']);
}
echo json_encode($ids);
