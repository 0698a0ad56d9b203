CREATE TABLE `twilio_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`account_sid` text NOT NULL,
	`sealed_auth_token` text NOT NULL,
	`from_number` text NOT NULL,
	`whatsapp_from` text,
	`api_base_url` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `twilio_accounts_tenant_idx` ON `twilio_accounts` (`tenant_id`);