DROP INDEX `comments_by_ip`;--> statement-breakpoint
ALTER TABLE `comments` ADD `address_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `comments_by_address` ON `comments` (`site_id`,`address_key`,`created_at`);