CREATE TABLE `comment_locations` (
	`node_id` text NOT NULL,
	`wp_id` integer NOT NULL,
	`comment_id` text NOT NULL,
	PRIMARY KEY(`node_id`, `wp_id`)
);
