ALTER TABLE `ai_outputs` ADD `template_id` text;--> statement-breakpoint
ALTER TABLE `ai_outputs` ADD `variant_key` text;--> statement-breakpoint
ALTER TABLE `ai_outputs` ADD `rating` integer;--> statement-breakpoint
ALTER TABLE `ai_outputs` ADD `rating_comment` text;--> statement-breakpoint
ALTER TABLE `ai_outputs` ADD `rated_by` text;--> statement-breakpoint
ALTER TABLE `ai_outputs` ADD `rated_at` integer;--> statement-breakpoint
CREATE INDEX `ai_outputs_template_idx` ON `ai_outputs` (`tenant_id`,`capability`,`template_id`,`variant_key`);