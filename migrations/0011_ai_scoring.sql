CREATE TABLE `ai_models` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`object_type` text NOT NULL,
	`label` text NOT NULL,
	`fields` text NOT NULL,
	`engine` text NOT NULL,
	`model` text NOT NULL,
	`version` text NOT NULL,
	`model_json` text NOT NULL,
	`stats` text NOT NULL,
	`holdout_auc` real,
	`holdout` text,
	`rows_read` integer NOT NULL,
	`labelled_rows` integer NOT NULL,
	`positive_rows` integer NOT NULL,
	`trained_at` integer NOT NULL,
	`trained_by` text NOT NULL,
	`trigger` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ai_models_tenant_trained_idx` ON `ai_models` (`tenant_id`,`trained_at`,`id`);--> statement-breakpoint
CREATE INDEX `ai_models_tenant_kind_idx` ON `ai_models` (`tenant_id`,`kind`,`object_type`,`status`);--> statement-breakpoint
CREATE TABLE `ai_rescore_chunks` (
	`tenant_id` text NOT NULL,
	`job_id` text NOT NULL,
	`chunk_index` integer NOT NULL,
	`rows` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `job_id`, `chunk_index`)
);
--> statement-breakpoint
CREATE TABLE `ai_rescore_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`object_type` text NOT NULL,
	`status` text NOT NULL,
	`total` integer NOT NULL,
	`scored` integer DEFAULT 0 NOT NULL,
	`chunks_done` integer DEFAULT 0 NOT NULL,
	`started_by` text NOT NULL,
	`failure_reason` text,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `ai_rescore_jobs_tenant_created_idx` ON `ai_rescore_jobs` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `ai_score_history` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`record_type` text NOT NULL,
	`record_id` text NOT NULL,
	`kind` text NOT NULL,
	`change` text NOT NULL,
	`score` integer NOT NULL,
	`level` text NOT NULL,
	`probability` real,
	`model_id` text,
	`engine` text NOT NULL,
	`model` text NOT NULL,
	`version` text NOT NULL,
	`reason` text,
	`actor_id` text NOT NULL,
	`recorded_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ai_score_history_tenant_record_idx` ON `ai_score_history` (`tenant_id`,`record_type`,`record_id`,`recorded_at`);--> statement-breakpoint
CREATE TABLE `ai_scores` (
	`tenant_id` text NOT NULL,
	`record_type` text NOT NULL,
	`record_id` text NOT NULL,
	`kind` text NOT NULL,
	`score` integer NOT NULL,
	`computed_score` integer NOT NULL,
	`probability` real,
	`level` text NOT NULL,
	`rule_score` integer,
	`model_score` integer,
	`components` text NOT NULL,
	`qualification` text,
	`explanation` text NOT NULL,
	`factors` text NOT NULL,
	`engine` text NOT NULL,
	`model` text NOT NULL,
	`version` text NOT NULL,
	`model_id` text,
	`scored_at` integer NOT NULL,
	`override_score` integer,
	`override_reason` text,
	`override_by` text,
	`override_at` integer,
	PRIMARY KEY(`tenant_id`, `record_type`, `record_id`, `kind`)
);
--> statement-breakpoint
CREATE INDEX `ai_scores_tenant_kind_score_idx` ON `ai_scores` (`tenant_id`,`kind`,`score`);