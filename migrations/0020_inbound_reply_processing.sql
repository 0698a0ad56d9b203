ALTER TABLE `inbound_emails` ADD `claimed_at` integer;--> statement-breakpoint
ALTER TABLE `inbound_emails` ADD `processed_at` integer;--> statement-breakpoint
-- Replies stored before this migration were acted on when they arrived.
UPDATE `inbound_emails` SET `claimed_at` = `created_at`, `processed_at` = `created_at`;--> statement-breakpoint
CREATE INDEX `inbound_emails_unprocessed_idx` ON `inbound_emails` (`claimed_at`) WHERE "inbound_emails"."processed_at" is null;