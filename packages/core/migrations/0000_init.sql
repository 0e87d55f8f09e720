CREATE TABLE `node_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`node_id` text NOT NULL,
	`secret` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	FOREIGN KEY (`node_id`) REFERENCES `nodes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `node_keys_node` ON `node_keys` (`node_id`);--> statement-breakpoint
CREATE TABLE `nodes` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`origin_url` text NOT NULL,
	`role` text NOT NULL,
	`weight` integer DEFAULT 100 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "nodes_role" CHECK(role IN ('primary', 'secondary'))
);
--> statement-breakpoint
CREATE INDEX `nodes_site` ON `nodes` (`site_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `nodes_one_primary` ON `nodes` (`site_id`) WHERE role = 'primary';--> statement-breakpoint
CREATE TABLE `request_nonces` (
	`key_id` text NOT NULL,
	`nonce` text NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`key_id`, `nonce`)
);
--> statement-breakpoint
CREATE INDEX `request_nonces_expiry` ON `request_nonces` (`expires_at`);--> statement-breakpoint
CREATE TABLE `site_hosts` (
	`host` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `site_hosts_site` ON `site_hosts` (`site_id`);--> statement-breakpoint
CREATE TABLE `sites` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text,
	`settings` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
