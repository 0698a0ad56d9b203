CREATE TABLE `ai_outputs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`capability` text NOT NULL,
	`result` text NOT NULL,
	`explanation` text NOT NULL,
	`factors` text NOT NULL,
	`engine` text NOT NULL,
	`model` text NOT NULL,
	`model_version` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ai_outputs_subject_idx` ON `ai_outputs` (`tenant_id`,`subject_type`,`subject_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `inbound_emails` ADD `ai_classification` text;--> statement-breakpoint
ALTER TABLE `inbound_emails` ADD `ai_confidence` real;--> statement-breakpoint
ALTER TABLE `inbound_emails` ADD `ai_suggested_action` text;--> statement-breakpoint
ALTER TABLE `inbound_emails` ADD `ai_output_id` text;