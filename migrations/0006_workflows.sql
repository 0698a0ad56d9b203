CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`message` text NOT NULL,
	`record_type` text,
	`record_id` text,
	`workflow_id` text,
	`execution_id` text,
	`read_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`tenant_id`,`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `notifications_unread_idx` ON `notifications` (`tenant_id`,`user_id`) WHERE read_at is null;--> statement-breakpoint
CREATE TABLE `workflow_executions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`workflow_id` text NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`cause_kind` text NOT NULL,
	`event_id` text,
	`event_type` text,
	`record_type` text NOT NULL,
	`record_id` text,
	`depth` integer DEFAULT 0 NOT NULL,
	`next_step` integer DEFAULT 0 NOT NULL,
	`dedupe_key` text,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`resume_at` integer,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `workflow_executions_history_idx` ON `workflow_executions` (`tenant_id`,`workflow_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_executions_dedupe_idx` ON `workflow_executions` (`tenant_id`,`workflow_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `workflow_executions_record_idx` ON `workflow_executions` (`tenant_id`,`workflow_id`,`record_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `workflow_executions_running_idx` ON `workflow_executions` (`tenant_id`,`started_at`) WHERE status = 'running';--> statement-breakpoint
CREATE INDEX `workflow_executions_waiting_idx` ON `workflow_executions` (`tenant_id`,`resume_at`) WHERE status = 'waiting';--> statement-breakpoint
CREATE TABLE `workflow_round_robin` (
	`tenant_id` text NOT NULL,
	`workflow_id` text NOT NULL,
	`action_index` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_round_robin_idx` ON `workflow_round_robin` (`tenant_id`,`workflow_id`,`action_index`);--> statement-breakpoint
CREATE TABLE `workflow_steps` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`execution_id` text NOT NULL,
	`step_index` integer NOT NULL,
	`action_type` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`output` text,
	`error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_steps_idx` ON `workflow_steps` (`tenant_id`,`execution_id`,`step_index`);--> statement-breakpoint
CREATE TABLE `workflow_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`workflow_id` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_versions_idx` ON `workflow_versions` (`tenant_id`,`workflow_id`,`version`);--> statement-breakpoint
CREATE TABLE `workflows` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`active` integer NOT NULL,
	`activated_at` integer,
	`version` integer NOT NULL,
	`object` text NOT NULL,
	`trigger_type` text NOT NULL,
	`definition` text NOT NULL,
	`signing_secret` text NOT NULL,
	`next_run_at` integer,
	`date_checked_at` integer,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE INDEX `workflows_tenant_created_idx` ON `workflows` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `workflows_active_idx` ON `workflows` (`tenant_id`,`trigger_type`) WHERE active = 1 and deleted_at is null;--> statement-breakpoint
CREATE INDEX `workflows_schedule_due_idx` ON `workflows` (`tenant_id`,`next_run_at`) WHERE active = 1 and deleted_at is null and next_run_at is not null;--> statement-breakpoint
ALTER TABLE `domain_events` ADD `workflows_at` integer;--> statement-breakpoint
ALTER TABLE `domain_events` ADD `depth` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `domain_events_workflows_pending_idx` ON `domain_events` (`tenant_id`,`id`) WHERE workflows_at is null;--> statement-breakpoint
-- Events from before workflows existed are not theirs to take.
UPDATE `domain_events` SET `workflows_at` = `created_at`;