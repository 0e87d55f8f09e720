CREATE TABLE `log_retention` (
	`site_id` text PRIMARY KEY NOT NULL,
	`pruned_through` integer NOT NULL,
	`pruned_at` integer NOT NULL
);
