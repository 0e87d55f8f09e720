CREATE TABLE `site_removals` (
	`site_id` text PRIMARY KEY NOT NULL,
	`removed_at` integer NOT NULL
);
