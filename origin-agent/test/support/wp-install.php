<?php
// Installs a real WordPress schema into an existing database with WordPress's own installer,
// then publishes EXTRA_POSTS posts, and prints their ids as JSON. Settings come from the
// environment: DB_NAME, DB_USER, DB_PASSWORD, DB_HOST, TABLE_PREFIX, EXTRA_POSTS.
// Debian's wp-config.php wants a file in /etc/wordpress; this loads WordPress without it.
define('DB_NAME', getenv('DB_NAME'));
define('DB_USER', getenv('DB_USER'));
define('DB_PASSWORD', getenv('DB_PASSWORD'));
define('DB_HOST', getenv('DB_HOST'));
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_HOME', 'http://127.0.0.1');
define('WP_SITEURL', 'http://127.0.0.1');
define('WP_INSTALLING', true);
define('ABSPATH', '/usr/share/wordpress/');
define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');
$table_prefix = getenv('TABLE_PREFIX');
$_SERVER['HTTP_HOST'] = '127.0.0.1';
require ABSPATH . 'wp-settings.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('wp-edge test', 'admin', 'admin@example.com', true, '', 'adminpass');
$ids = [];
for ($i = 1; $i <= (int) getenv('EXTRA_POSTS'); $i++) {
    $ids[] = wp_insert_post(['post_title' => "Post $i", 'post_content' => 'Hello', 'post_status' => 'publish']);
}
echo json_encode($ids);
