CREATE TABLE `activities` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`type` text NOT NULL,
	`record_type` text NOT NULL,
	`record_id` text NOT NULL,
	`subject` text NOT NULL,
	`body` text,
	`occurred_at` integer NOT NULL,
	`duration_minutes` integer,
	`outcome` text,
	`actor_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `activities_tenant_record_idx` ON `activities` (`tenant_id`,`record_type`,`record_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `companies` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`domain` text,
	`industry` text,
	`size` text,
	`annual_revenue` real,
	`website` text,
	`domain_authority` integer,
	`owner_id` text,
	`tags` text NOT NULL,
	`custom_fields` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `companies_tenant_domain_idx` ON `companies` (`tenant_id`,`domain`);--> statement-breakpoint
CREATE INDEX `companies_tenant_created_idx` ON `companies` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `companies_tenant_updated_idx` ON `companies` (`tenant_id`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `companies_tenant_name_idx` ON `companies` (`tenant_id`,`name`,`id`);--> statement-breakpoint
CREATE INDEX `companies_tenant_owner_idx` ON `companies` (`tenant_id`,`owner_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `contact_lifecycle_history` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`from_stage` text,
	`to_stage` text NOT NULL,
	`changed_by` text NOT NULL,
	`changed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `contact_lifecycle_tenant_contact_idx` ON `contact_lifecycle_history` (`tenant_id`,`contact_id`,`changed_at`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`first_name` text,
	`last_name` text,
	`sort_name` text NOT NULL,
	`emails` text NOT NULL,
	`primary_email` text,
	`phones` text NOT NULL,
	`title` text,
	`company_id` text,
	`lifecycle_stage` text,
	`lifecycle_stage_changed_at` integer,
	`lead_status` text,
	`source` text,
	`owner_id` text,
	`tags` text NOT NULL,
	`consent_status` text DEFAULT 'unknown' NOT NULL,
	`consent_changed_at` integer,
	`consent_source` text,
	`do_not_contact` integer DEFAULT false NOT NULL,
	`time_zone` text,
	`address` text,
	`social_links` text NOT NULL,
	`custom_fields` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_tenant_email_idx` ON `contacts` (`tenant_id`,`primary_email`);--> statement-breakpoint
CREATE INDEX `contacts_tenant_created_idx` ON `contacts` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_tenant_updated_idx` ON `contacts` (`tenant_id`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_tenant_name_idx` ON `contacts` (`tenant_id`,`sort_name`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_tenant_owner_idx` ON `contacts` (`tenant_id`,`owner_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_tenant_lifecycle_idx` ON `contacts` (`tenant_id`,`lifecycle_stage`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_tenant_company_idx` ON `contacts` (`tenant_id`,`company_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `custom_field_definitions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`object_type` text NOT NULL,
	`key` text NOT NULL,
	`label` text NOT NULL,
	`type` text NOT NULL,
	`options` text,
	`required` integer DEFAULT false NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `custom_fields_tenant_object_key_idx` ON `custom_field_definitions` (`tenant_id`,`object_type`,`key`);--> statement-breakpoint
CREATE TABLE `deal_stage_history` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`deal_id` text NOT NULL,
	`pipeline_id` text NOT NULL,
	`stage_id` text NOT NULL,
	`entered_at` integer NOT NULL,
	`left_at` integer,
	`changed_by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `deal_stage_history_tenant_deal_idx` ON `deal_stage_history` (`tenant_id`,`deal_id`,`entered_at`);--> statement-breakpoint
CREATE TABLE `deals` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`contact_id` text,
	`company_id` text,
	`pipeline_id` text NOT NULL,
	`stage_id` text NOT NULL,
	`stage_entered_at` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`value` real DEFAULT 0 NOT NULL,
	`currency` text DEFAULT 'USD' NOT NULL,
	`expected_close_date` text,
	`closed_at` integer,
	`probability` integer,
	`next_action_at` integer,
	`lost_reason` text,
	`owner_id` text,
	`tags` text NOT NULL,
	`custom_fields` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `deals_tenant_created_idx` ON `deals` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `deals_tenant_updated_idx` ON `deals` (`tenant_id`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `deals_tenant_pipeline_stage_idx` ON `deals` (`tenant_id`,`pipeline_id`,`stage_id`,`value`);--> statement-breakpoint
CREATE INDEX `deals_tenant_status_idx` ON `deals` (`tenant_id`,`status`,`closed_at`);--> statement-breakpoint
CREATE INDEX `deals_tenant_owner_idx` ON `deals` (`tenant_id`,`owner_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `deals_tenant_value_idx` ON `deals` (`tenant_id`,`value`,`id`);--> statement-breakpoint
CREATE INDEX `deals_tenant_contact_idx` ON `deals` (`tenant_id`,`contact_id`);--> statement-breakpoint
CREATE INDEX `deals_tenant_company_idx` ON `deals` (`tenant_id`,`company_id`);--> statement-breakpoint
CREATE INDEX `deals_tenant_next_action_idx` ON `deals` (`tenant_id`,`next_action_at`);--> statement-breakpoint
CREATE TABLE `lead_stage_history` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`from_stage` text,
	`to_stage` text NOT NULL,
	`reason` text,
	`changed_by` text NOT NULL,
	`changed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `lead_stage_history_tenant_lead_idx` ON `lead_stage_history` (`tenant_id`,`lead_id`,`changed_at`);--> statement-breakpoint
CREATE TABLE `leads` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`first_name` text,
	`last_name` text,
	`email` text,
	`phone` text,
	`company_name` text,
	`company_domain` text,
	`title` text,
	`stage` text DEFAULT 'lead' NOT NULL,
	`stage_changed_at` integer NOT NULL,
	`lost_reason` text,
	`source` text,
	`estimated_value` real,
	`owner_id` text,
	`tags` text NOT NULL,
	`custom_fields` text NOT NULL,
	`converted_at` integer,
	`converted_contact_id` text,
	`converted_company_id` text,
	`converted_deal_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `leads_tenant_created_idx` ON `leads` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `leads_tenant_updated_idx` ON `leads` (`tenant_id`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `leads_tenant_stage_idx` ON `leads` (`tenant_id`,`stage`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `leads_tenant_owner_idx` ON `leads` (`tenant_id`,`owner_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `leads_tenant_value_idx` ON `leads` (`tenant_id`,`estimated_value`,`id`);--> statement-breakpoint
CREATE INDEX `leads_tenant_email_idx` ON `leads` (`tenant_id`,`email`);--> statement-breakpoint
CREATE TABLE `notes` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`record_type` text NOT NULL,
	`record_id` text NOT NULL,
	`body` text NOT NULL,
	`author_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notes_tenant_record_idx` ON `notes` (`tenant_id`,`record_type`,`record_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `pipeline_stages` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`pipeline_id` text NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`probability` integer DEFAULT 0 NOT NULL,
	`is_won` integer DEFAULT false NOT NULL,
	`is_lost` integer DEFAULT false NOT NULL,
	`follow_up_days` integer,
	`auto_actions` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pipeline_stages_tenant_pipeline_idx` ON `pipeline_stages` (`tenant_id`,`pipeline_id`,`position`);--> statement-breakpoint
CREATE TABLE `pipelines` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pipelines_tenant_name_idx` ON `pipelines` (`tenant_id`,`name`);--> statement-breakpoint
CREATE INDEX `pipelines_tenant_position_idx` ON `pipelines` (`tenant_id`,`position`);--> statement-breakpoint
CREATE TABLE `record_tags` (
	`tenant_id` text NOT NULL,
	`record_type` text NOT NULL,
	`tag` text NOT NULL,
	`record_id` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `record_tags_tenant_type_tag_record_idx` ON `record_tags` (`tenant_id`,`record_type`,`tag`,`record_id`);--> statement-breakpoint
CREATE INDEX `record_tags_tenant_record_idx` ON `record_tags` (`tenant_id`,`record_id`);--> statement-breakpoint
CREATE TABLE `saved_views` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`object_type` text NOT NULL,
	`name` text NOT NULL,
	`query` text NOT NULL,
	`columns` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `saved_views_tenant_user_idx` ON `saved_views` (`tenant_id`,`user_id`,`object_type`);--> statement-breakpoint
CREATE TABLE `search_documents` (
	`rowid` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`record_type` text NOT NULL,
	`record_id` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_documents_tenant_record_idx` ON `search_documents` (`tenant_id`,`record_id`);--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`due_at` integer,
	`priority` text DEFAULT 'normal' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`assignee_id` text,
	`record_type` text,
	`record_id` text,
	`completed_at` integer,
	`owner_id` text,
	`tags` text NOT NULL,
	`custom_fields` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tasks_tenant_created_idx` ON `tasks` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `tasks_tenant_due_idx` ON `tasks` (`tenant_id`,`status`,`due_at`,`id`);--> statement-breakpoint
CREATE INDEX `tasks_tenant_assignee_idx` ON `tasks` (`tenant_id`,`assignee_id`,`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `tasks_tenant_record_idx` ON `tasks` (`tenant_id`,`record_type`,`record_id`,`created_at`);