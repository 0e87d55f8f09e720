CREATE TABLE `node_alerts` (
	`node_id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`alerted_at` integer NOT NULL
);
