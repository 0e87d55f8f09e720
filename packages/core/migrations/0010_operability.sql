CREATE TABLE `edge_figures` (
	`site_id` text NOT NULL,
	`minute` integer NOT NULL,
	`name` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`site_id`, `minute`, `name`)
);
--> statement-breakpoint
CREATE INDEX `edge_figures_minute` ON `edge_figures` (`minute`);--> statement-breakpoint
CREATE TABLE `status_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`label` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer
);
--> statement-breakpoint
CREATE INDEX `status_tokens_site` ON `status_tokens` (`site_id`);