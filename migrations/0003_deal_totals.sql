DROP INDEX `deals_tenant_pipeline_stage_idx`;--> statement-breakpoint
DROP INDEX `deals_tenant_status_idx`;--> statement-breakpoint
CREATE INDEX `deals_tenant_pipeline_stage_idx` ON `deals` (`tenant_id`,`pipeline_id`,`stage_id`,`value`,`probability`,`created_at`);--> statement-breakpoint
CREATE INDEX `deals_tenant_status_idx` ON `deals` (`tenant_id`,`status`,`closed_at`,`created_at`,`value`,`probability`);