ALTER TABLE `ai_rescore_jobs` ADD `mode` text DEFAULT 'all' NOT NULL;--> statement-breakpoint
ALTER TABLE `ai_rescore_jobs` ADD `trigger` text DEFAULT 'person' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `ai_rescore_jobs_tenant_kind_automatic_idx` ON `ai_rescore_jobs` (`tenant_id`,`kind`) WHERE status in ('queued', 'running') and "trigger" <> 'person';