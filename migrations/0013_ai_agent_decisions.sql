CREATE TABLE `ai_agent_decisions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`deal_id` text,
	`run_id` text NOT NULL,
	`type` text NOT NULL,
	`action` text NOT NULL,
	`explanation` text NOT NULL,
	`reasoning` text NOT NULL,
	`factors` text NOT NULL,
	`inputs` text NOT NULL,
	`engine` text NOT NULL,
	`model` text NOT NULL,
	`model_version` text NOT NULL,
	`mode` text NOT NULL,
	`outcome` text NOT NULL,
	`outcome_detail` text,
	`triggered_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ai_agent_decisions_tenant_idx` ON `ai_agent_decisions` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `ai_agent_decisions_deal_idx` ON `ai_agent_decisions` (`tenant_id`,`deal_id`,`id`);