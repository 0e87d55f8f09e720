ALTER TABLE `comments` ADD `dedupe_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `comments_no_duplicates` ON `comments` (`site_id`,`dedupe_key`) WHERE status <> 'trash';