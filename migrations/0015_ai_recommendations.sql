CREATE TABLE `ai_recommendations` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`record_type` text NOT NULL,
	`record_id` text NOT NULL,
	`type` text NOT NULL,
	`title` text NOT NULL,
	`priority` integer NOT NULL,
	`confidence` real NOT NULL,
	`explanation` text NOT NULL,
	`factors` text NOT NULL,
	`engine` text NOT NULL,
	`model` text NOT NULL,
	`version` text NOT NULL,
	`status` text NOT NULL,
	`due_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`generated_at` integer NOT NULL,
	`status_changed_by` text,
	`status_changed_at` integer,
	`viewed_at` integer,
	`accepted_at` integer,
	`dismissed_at` integer,
	`completed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ai_recommendations_one_pending_idx` ON `ai_recommendations` (`tenant_id`,`record_type`,`record_id`,`type`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `ai_recommendations_tenant_record_idx` ON `ai_recommendations` (`tenant_id`,`record_type`,`record_id`);--> statement-breakpoint
CREATE INDEX `ai_recommendations_tenant_status_idx` ON `ai_recommendations` (`tenant_id`,`status`,`priority`,`id`);--> statement-breakpoint
CREATE INDEX `ai_recommendations_tenant_priority_idx` ON `ai_recommendations` (`tenant_id`,`priority`,`id`);