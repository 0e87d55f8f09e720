<?php
// Posts each comment of a JSON list (stdin: [{author, email, url, content, userAgent, ip}])
// through WordPress's own wp_handle_comment_submission() on post 1, as an anonymous reader,
// and prints what WordPress stored for each, read back from wp_comments (settings: wp-load.php).
// Name and email are not required, and the flood and duplicate checks are off, so that every
// case reaches the filters; only WordPress's own refusals remain (as {"error": code}).
require __DIR__ . '/wp-load.php';
update_option('require_name_email', '0');
add_filter('comment_flood_filter', '__return_false', 99);
add_filter('duplicate_comment_id', '__return_zero', 99);
remove_action('comment_post', 'wp_new_comment_notify_moderator');
remove_action('comment_post', 'wp_new_comment_notify_postauthor');
global $wpdb;
$results = [];
foreach (json_decode(file_get_contents('php://stdin'), true) as $case) {
    // What wp_magic_quotes() does to the request's server variables.
    $_SERVER['HTTP_USER_AGENT'] = wp_slash($case['userAgent']);
    $_SERVER['REMOTE_ADDR'] = wp_slash($case['ip']);
    try {
        $comment = wp_handle_comment_submission([
            'comment_post_ID' => 1,
            'author' => $case['author'],
            'email' => $case['email'],
            'url' => $case['url'],
            'comment' => $case['content'],
            'comment_parent' => 0,
        ]);
    } catch (Throwable $error) {
        $results[] = ['error' => 'fatal'];
        continue;
    }
    if (is_wp_error($comment)) {
        $results[] = ['error' => $comment->get_error_code()];
        continue;
    }
    $row = $wpdb->get_row($wpdb->prepare(
        "SELECT comment_author, comment_author_email, comment_author_url, comment_content, comment_agent, comment_author_IP FROM $wpdb->comments WHERE comment_ID = %d",
        $comment->comment_ID
    ), ARRAY_A);
    $results[] = ['stored' => [
        'author' => $row['comment_author'],
        'email' => $row['comment_author_email'],
        'url' => $row['comment_author_url'],
        'content' => $row['comment_content'],
        'userAgent' => $row['comment_agent'],
        'ip' => $row['comment_author_IP'],
    ]];
}
echo json_encode($results, JSON_INVALID_UTF8_SUBSTITUTE);
