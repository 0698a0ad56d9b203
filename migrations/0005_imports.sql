CREATE TABLE `import_chunks` (
	`tenant_id` text NOT NULL,
	`import_id` text NOT NULL,
	`chunk_index` integer NOT NULL,
	`rows` integer NOT NULL,
	`end_byte` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `import_id`, `chunk_index`)
);
--> statement-breakpoint
CREATE TABLE `import_errors` (
	`tenant_id` text NOT NULL,
	`import_id` text NOT NULL,
	`row_number` integer NOT NULL,
	`column` text,
	`value` text,
	`message` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `import_errors_tenant_import_idx` ON `import_errors` (`tenant_id`,`import_id`,`row_number`);--> statement-breakpoint
CREATE TABLE `import_mappings` (
	`tenant_id` text NOT NULL,
	`object_type` text NOT NULL,
	`header` text NOT NULL,
	`target` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `object_type`, `header`)
);
--> statement-breakpoint
CREATE TABLE `imports` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`object_type` text NOT NULL,
	`status` text NOT NULL,
	`file_name` text,
	`file_key` text NOT NULL,
	`file_bytes` integer NOT NULL,
	`encoding` text NOT NULL,
	`delimiter` text NOT NULL,
	`has_header` integer NOT NULL,
	`columns` text NOT NULL,
	`data_start` integer NOT NULL,
	`mapping` text,
	`match_key` text,
	`policy` text,
	`created_by` text NOT NULL,
	`started_by` text,
	`rows_done` integer DEFAULT 0 NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`skipped` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`bytes_done` integer DEFAULT 0 NOT NULL,
	`failure_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `imports_tenant_created_idx` ON `imports` (`tenant_id`,`created_at`,`id`);