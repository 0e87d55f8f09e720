<?php
// Router for `php -S`: a node's uploads come from its own wp-content (NODE_CONTENT_DIR), as
// a web server with `root` on the node's install would serve them; everything else is
// WordPress as usual.
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH));
if (!str_starts_with($path, '/wp-content/uploads/') || str_contains($path, '..')) return false;
$file = getenv('NODE_CONTENT_DIR') . substr($path, strlen('/wp-content'));
if (!is_file($file)) {
    http_response_code(404);
    return true;
}
$types = ['png' => 'image/png', 'jpg' => 'image/jpeg', 'gif' => 'image/gif'];
header('Content-Type: ' . ($types[strtolower(pathinfo($file, PATHINFO_EXTENSION))] ?? 'application/octet-stream'));
readfile($file);
return true;
