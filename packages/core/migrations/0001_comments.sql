CREATE TABLE `catalog_comments` (
	`site_id` text NOT NULL,
	`wp_id` integer NOT NULL,
	`post_id` integer NOT NULL,
	`approved` text NOT NULL,
	PRIMARY KEY(`site_id`, `wp_id`)
);
--> statement-breakpoint
CREATE TABLE `catalog_posts` (
	`site_id` text NOT NULL,
	`post_id` integer NOT NULL,
	`status` text NOT NULL,
	`comment_status` text NOT NULL,
	`permalink` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `post_id`)
);
--> statement-breakpoint
CREATE TABLE `catalog_sites` (
	`site_id` text PRIMARY KEY NOT NULL,
	`site_url` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `comment_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` text NOT NULL,
	`comment_id` text NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `comment_log_site` ON `comment_log` (`site_id`,`seq`);--> statement-breakpoint
CREATE TABLE `comments` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`post_id` integer NOT NULL,
	`parent_wp_id` integer DEFAULT 0 NOT NULL,
	`author` text NOT NULL,
	`author_email` text NOT NULL,
	`author_url` text NOT NULL,
	`content` text NOT NULL,
	`author_ip` text NOT NULL,
	`user_agent` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `comments_by_ip` ON `comments` (`site_id`,`author_ip`,`created_at`);--> statement-breakpoint
CREATE INDEX `comments_by_post` ON `comments` (`site_id`,`post_id`);--> statement-breakpoint
CREATE INDEX `comments_by_email` ON `comments` (`site_id`,`author_email`,`status`);--> statement-breakpoint
CREATE TABLE `node_cursors` (
	`node_id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`cursor` integer NOT NULL,
	`reported_at` integer NOT NULL
);
