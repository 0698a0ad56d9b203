CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`sequence_id` text NOT NULL,
	`audience` text NOT NULL,
	`goal` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`cloned_from` text,
	`started_at` integer,
	`paused_at` integer,
	`completed_at` integer,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE INDEX `campaigns_tenant_idx` ON `campaigns` (`tenant_id`,`id`);--> statement-breakpoint
CREATE TABLE `inbound_emails` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`message_id` text,
	`contact_id` text,
	`enrollment_id` text,
	`from_address` text NOT NULL,
	`to_address` text NOT NULL,
	`subject` text,
	`text` text,
	`html` text,
	`message_id_header` text,
	`in_reply_to` text,
	`classification` text NOT NULL,
	`classification_reason` text NOT NULL,
	`received_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `inbound_emails_tenant_idx` ON `inbound_emails` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `inbound_emails_contact_idx` ON `inbound_emails` (`tenant_id`,`contact_id`,`received_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_emails_message_id_idx` ON `inbound_emails` (`tenant_id`,`message_id_header`);--> statement-breakpoint
CREATE TABLE `mailbox_daily_sends` (
	`tenant_id` text NOT NULL,
	`mailbox_id` text NOT NULL,
	`day` text NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mailbox_daily_sends_idx` ON `mailbox_daily_sends` (`tenant_id`,`mailbox_id`,`day`);--> statement-breakpoint
CREATE TABLE `mailboxes` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`from_address` text NOT NULL,
	`from_name` text,
	`transport` text NOT NULL,
	`settings` text NOT NULL,
	`sealed_credentials` text,
	`daily_cap` integer DEFAULT 200 NOT NULL,
	`min_spacing_seconds` integer DEFAULT 60 NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`last_sent_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE INDEX `mailboxes_tenant_idx` ON `mailboxes` (`tenant_id`,`id`);--> statement-breakpoint
CREATE TABLE `outreach_events` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`message_id` text NOT NULL,
	`type` text NOT NULL,
	`contact_id` text,
	`campaign_id` text,
	`sequence_id` text,
	`detail` text,
	`occurred_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `outreach_events_message_idx` ON `outreach_events` (`tenant_id`,`message_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `outreach_events_campaign_idx` ON `outreach_events` (`tenant_id`,`campaign_id`,`type`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `outreach_events_sequence_idx` ON `outreach_events` (`tenant_id`,`sequence_id`,`type`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `outreach_events_contact_idx` ON `outreach_events` (`tenant_id`,`contact_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `outreach_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`channel` text NOT NULL,
	`contact_id` text,
	`enrollment_id` text,
	`sequence_id` text,
	`step_id` text,
	`variant_key` text,
	`campaign_id` text,
	`mailbox_id` text,
	`status` text NOT NULL,
	`skip_reason` text,
	`error` text,
	`from_address` text,
	`to_address` text NOT NULL,
	`subject` text,
	`text` text NOT NULL,
	`html` text,
	`message_id_header` text,
	`reply_token` text,
	`provider_message_id` text,
	`transport` text,
	`scheduled_for` integer,
	`sent_at` integer,
	`delivered_at` integer,
	`first_opened_at` integer,
	`first_clicked_at` integer,
	`replied_at` integer,
	`bounced_at` integer,
	`unsubscribed_at` integer,
	`open_count` integer DEFAULT 0 NOT NULL,
	`click_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outreach_messages_dedupe_idx` ON `outreach_messages` (`tenant_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `outreach_messages_tenant_created_idx` ON `outreach_messages` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `outreach_messages_contact_idx` ON `outreach_messages` (`tenant_id`,`contact_id`,`id`);--> statement-breakpoint
CREATE INDEX `outreach_messages_enrollment_idx` ON `outreach_messages` (`tenant_id`,`enrollment_id`);--> statement-breakpoint
CREATE INDEX `outreach_messages_campaign_idx` ON `outreach_messages` (`tenant_id`,`campaign_id`,`step_id`,`variant_key`);--> statement-breakpoint
CREATE INDEX `outreach_messages_sequence_idx` ON `outreach_messages` (`tenant_id`,`sequence_id`,`step_id`,`variant_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `outreach_messages_reply_token_idx` ON `outreach_messages` (`reply_token`);--> statement-breakpoint
CREATE INDEX `outreach_messages_message_id_idx` ON `outreach_messages` (`message_id_header`);--> statement-breakpoint
CREATE TABLE `sequence_enrollments` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`sequence_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`campaign_id` text,
	`status` text DEFAULT 'active' NOT NULL,
	`exit_reason` text,
	`source` text NOT NULL,
	`enrolled_by` text NOT NULL,
	`mailbox_id` text,
	`next_step_id` text,
	`due_at` integer,
	`steps_completed` integer DEFAULT 0 NOT NULL,
	`last_sent_at` integer,
	`paused_at` integer,
	`ended_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sequence_enrollments_one_live_idx` ON `sequence_enrollments` (`tenant_id`,`sequence_id`,`contact_id`) WHERE status in ('active', 'paused');--> statement-breakpoint
CREATE INDEX `sequence_enrollments_sequence_idx` ON `sequence_enrollments` (`tenant_id`,`sequence_id`,`id`);--> statement-breakpoint
CREATE INDEX `sequence_enrollments_contact_idx` ON `sequence_enrollments` (`tenant_id`,`contact_id`);--> statement-breakpoint
CREATE INDEX `sequence_enrollments_campaign_idx` ON `sequence_enrollments` (`tenant_id`,`campaign_id`);--> statement-breakpoint
CREATE INDEX `sequence_enrollments_due_idx` ON `sequence_enrollments` (`tenant_id`,`due_at`) WHERE status = 'active';--> statement-breakpoint
CREATE TABLE `sequence_steps` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`sequence_id` text NOT NULL,
	`position` integer NOT NULL,
	`channel` text DEFAULT 'email' NOT NULL,
	`delay_amount` integer DEFAULT 0 NOT NULL,
	`delay_unit` text DEFAULT 'days' NOT NULL,
	`variants` text NOT NULL,
	`ai_personalise` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE INDEX `sequence_steps_sequence_idx` ON `sequence_steps` (`tenant_id`,`sequence_id`,`position`);--> statement-breakpoint
CREATE TABLE `sequences` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`status` text DEFAULT 'active' NOT NULL,
	`mailbox_id` text,
	`send_window` text NOT NULL,
	`default_time_zone` text DEFAULT 'UTC' NOT NULL,
	`exit_rules` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE INDEX `sequences_tenant_created_idx` ON `sequences` (`tenant_id`,`id`);--> statement-breakpoint
CREATE TABLE `suppressions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`address` text NOT NULL,
	`reason` text NOT NULL,
	`source` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `suppressions_address_idx` ON `suppressions` (`tenant_id`,`address`);