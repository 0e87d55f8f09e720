<?php
// Prints WordPress's own permalinks of the posts POST_IDS lists (comma-separated) as JSON
// (settings: wp-load.php).
require __DIR__ . '/wp-load.php';
$links = [];
foreach (explode(',', getenv('POST_IDS')) as $id) {
    $links[$id] = get_permalink((int) $id);
}
echo json_encode($links, JSON_UNESCAPED_SLASHES);
