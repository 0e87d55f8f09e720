<?php
// Loads WordPress on the test database the environment names: DB_NAME, DB_USER, DB_PASSWORD,
// DB_HOST, TABLE_PREFIX. Debian's wp-config.php wants a file in /etc/wordpress; this loads
// WordPress without it.
define('DB_NAME', getenv('DB_NAME'));
define('DB_USER', getenv('DB_USER'));
define('DB_PASSWORD', getenv('DB_PASSWORD'));
define('DB_HOST', getenv('DB_HOST'));
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_HOME', 'http://127.0.0.1');
define('WP_SITEURL', 'http://127.0.0.1');
define('ABSPATH', '/usr/share/wordpress/');
define('WP_CONTENT_DIR', getenv('WP_CONTENT_DIR') ?: '/var/lib/wordpress/wp-content');
$table_prefix = getenv('TABLE_PREFIX');
$_SERVER['HTTP_HOST'] = '127.0.0.1';
require ABSPATH . 'wp-settings.php';
