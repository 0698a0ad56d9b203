ALTER TABLE `search_documents` ADD `created_at` integer;--> statement-breakpoint
-- Existing entries take their record's created_at (the indexing statements set it from now on).
UPDATE `search_documents` SET `created_at` = CASE `record_type`
  WHEN 'contact' THEN (SELECT `created_at` FROM `contacts` r WHERE r.`tenant_id` = `search_documents`.`tenant_id` AND r.`id` = `search_documents`.`record_id`)
  WHEN 'company' THEN (SELECT `created_at` FROM `companies` r WHERE r.`tenant_id` = `search_documents`.`tenant_id` AND r.`id` = `search_documents`.`record_id`)
  WHEN 'lead' THEN (SELECT `created_at` FROM `leads` r WHERE r.`tenant_id` = `search_documents`.`tenant_id` AND r.`id` = `search_documents`.`record_id`)
  WHEN 'deal' THEN (SELECT `created_at` FROM `deals` r WHERE r.`tenant_id` = `search_documents`.`tenant_id` AND r.`id` = `search_documents`.`record_id`)
  WHEN 'task' THEN (SELECT `created_at` FROM `tasks` r WHERE r.`tenant_id` = `search_documents`.`tenant_id` AND r.`id` = `search_documents`.`record_id`)
END;--> statement-breakpoint
CREATE INDEX `search_documents_tenant_type_created_idx` ON `search_documents` (`tenant_id`,`record_type`,`created_at`,`record_id`);
