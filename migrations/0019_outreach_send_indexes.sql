DROP INDEX `outreach_events_sequence_idx`;--> statement-breakpoint
DROP INDEX `outreach_events_campaign_idx`;--> statement-breakpoint
CREATE INDEX `outreach_events_campaign_idx` ON `outreach_events` (`tenant_id`,`campaign_id`,`type`,`occurred_at`) WHERE campaign_id is not null;--> statement-breakpoint
DROP INDEX `outreach_messages_message_id_idx`;--> statement-breakpoint
DROP INDEX `outreach_messages_campaign_idx`;--> statement-breakpoint
DROP INDEX `outreach_messages_sequence_idx`;--> statement-breakpoint
CREATE INDEX `outreach_messages_campaign_idx` ON `outreach_messages` (`tenant_id`,`campaign_id`,`step_id`,`variant_key`) WHERE campaign_id is not null;--> statement-breakpoint
CREATE INDEX `outreach_messages_sequence_idx` ON `outreach_messages` (`tenant_id`,`sequence_id`,`step_id`,`variant_key`) WHERE sequence_id is not null;