<?php
/**
 * View counts in themes and the admin: the edge counts views, the agent copies them into post
 * meta (`views` by default), and these read them.
 */

/**
 * A post's view count, as the agent last copied it (0 before any).
 *
 * @example echo wp_edge_views( get_the_ID() );
 */
function wp_edge_views( $post_id = null ) {
	$post = get_post( $post_id );
	return $post ? (int) get_post_meta( $post->ID, wp_edge_views_meta_key(), true ) : 0;
}

/** The count in the element the views client script keeps up to date. */
function wp_edge_views_html( $post_id = null ) {
	$post = get_post( $post_id );
	if ( ! $post ) {
		return '';
	}
	return sprintf(
		'<span class="wp-edge-views" data-wp-edge-views="%d">%s</span>',
		$post->ID,
		esc_html( number_format_i18n( wp_edge_views( $post->ID ) ) )
	);
}

/**
 * Prints a post's view count (the current post by default).
 *
 * @example <?php the_wp_edge_views(); ?> views
 */
function the_wp_edge_views( $post_id = null ) {
	echo wp_edge_views_html( $post_id ); // phpcs:ignore WordPress.Security.EscapeOutput -- built escaped above.
}

/** `[wp_edge_views]` or `[wp_edge_views id="12"]`. */
function wp_edge_views_shortcode( $atts ) {
	$atts = shortcode_atts( array( 'id' => 0 ), $atts, 'wp_edge_views' );
	return wp_edge_views_html( $atts['id'] ? (int) $atts['id'] : null );
}

/** The edge's client script on every front-end page, with the post's id on a single post or page. */
function wp_edge_enqueue_views_client() {
	wp_enqueue_script( 'wp-edge-views', home_url( '/api/views/client.js' ), array(), null, true );
}

function wp_edge_views_script_tag( $tag, $handle ) {
	if ( 'wp-edge-views' !== $handle ) {
		return $tag;
	}
	$attributes = is_singular() ? sprintf( ' data-post="%d" defer', get_queried_object_id() ) : ' defer';
	return str_replace( '<script ', '<script' . $attributes . ' ', $tag );
}

function wp_edge_views_column( $columns ) {
	$columns['wp_edge_views'] = __( 'Views' );
	return $columns;
}

function wp_edge_views_column_value( $column, $post_id ) {
	if ( 'wp_edge_views' === $column ) {
		echo esc_html( number_format_i18n( wp_edge_views( $post_id ) ) );
	}
}

function wp_edge_views_init() {
	add_shortcode( 'wp_edge_views', 'wp_edge_views_shortcode' );
	add_action( 'wp_enqueue_scripts', 'wp_edge_enqueue_views_client' );
	add_filter( 'script_loader_tag', 'wp_edge_views_script_tag', 10, 2 );
	foreach ( array( 'posts', 'pages' ) as $type ) {
		add_filter( "manage_{$type}_columns", 'wp_edge_views_column' );
		add_action( "manage_{$type}_custom_column", 'wp_edge_views_column_value', 10, 2 );
	}
}
