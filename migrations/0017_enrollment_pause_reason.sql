ALTER TABLE `sequence_enrollments` ADD `paused_until` integer;--> statement-breakpoint
ALTER TABLE `sequence_enrollments` ADD `status_reason` text;--> statement-breakpoint
CREATE INDEX `sequence_enrollments_paused_until_idx` ON `sequence_enrollments` (`tenant_id`,`paused_until`) WHERE status = 'paused' and paused_until is not null;