CREATE TABLE `akismet_outbox` (
	`site_id` text NOT NULL,
	`comment_id` text NOT NULL,
	`verdict` text NOT NULL,
	`attempts` integer NOT NULL,
	`first_failed_at` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text NOT NULL,
	PRIMARY KEY(`site_id`, `comment_id`, `verdict`)
);
--> statement-breakpoint
CREATE INDEX `akismet_outbox_due` ON `akismet_outbox` (`next_attempt_at`);--> statement-breakpoint
ALTER TABLE `catalog_sites` ADD `locale` text;