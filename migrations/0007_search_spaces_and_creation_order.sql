CREATE TABLE `search_spaces` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`record_type` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_spaces_tenant_type_idx` ON `search_spaces` (`tenant_id`,`record_type`);--> statement-breakpoint
ALTER TABLE `search_documents` ADD `created_at` integer;--> statement-breakpoint
-- Existing entries take their record's created_at (the indexing statements set it from now on).
UPDATE `search_documents` SET `created_at` = CASE `record_type`
  WHEN 'contact' THEN (SELECT `created_at` FROM `contacts` r WHERE r.`tenant_id` = `search_documents`.`tenant_id` AND r.`id` = `search_documents`.`record_id`)
  WHEN 'company' THEN (SELECT `created_at` FROM `companies` r WHERE r.`tenant_id` = `search_documents`.`tenant_id` AND r.`id` = `search_documents`.`record_id`)
  WHEN 'lead' THEN (SELECT `created_at` FROM `leads` r WHERE r.`tenant_id` = `search_documents`.`tenant_id` AND r.`id` = `search_documents`.`record_id`)
  WHEN 'deal' THEN (SELECT `created_at` FROM `deals` r WHERE r.`tenant_id` = `search_documents`.`tenant_id` AND r.`id` = `search_documents`.`record_id`)
  WHEN 'task' THEN (SELECT `created_at` FROM `tasks` r WHERE r.`tenant_id` = `search_documents`.`tenant_id` AND r.`id` = `search_documents`.`record_id`)
END;--> statement-breakpoint
CREATE INDEX `search_documents_tenant_type_created_idx` ON `search_documents` (`tenant_id`,`record_type`,`created_at`,`record_id`);--> statement-breakpoint
-- Every existing entry moves into its search space's rowid range (from 2^32 up, above every
-- old rowid): the FTS rows are copied under their new rowids, the old ones deleted, and
-- search_documents renumbered the same way.
INSERT INTO `search_spaces` (`tenant_id`, `record_type`) SELECT DISTINCT `tenant_id`, `record_type` FROM `search_documents` ORDER BY 1, 2;--> statement-breakpoint
CREATE TABLE `search_rowid_moves` (`old` integer PRIMARY KEY, `new` integer NOT NULL);--> statement-breakpoint
INSERT INTO `search_rowid_moves` (`old`, `new`)
  SELECT d.`rowid`, (s.`id` << 32) + row_number() OVER (PARTITION BY s.`id` ORDER BY d.`rowid`)
  FROM `search_documents` d JOIN `search_spaces` s ON s.`tenant_id` = d.`tenant_id` AND s.`record_type` = d.`record_type`;--> statement-breakpoint
INSERT INTO `search_index` (`rowid`, `scope`, `body`)
  SELECT m.`new`, i.`scope`, i.`body` FROM `search_rowid_moves` m JOIN `search_index` i ON i.`rowid` = m.`old`;--> statement-breakpoint
DELETE FROM `search_index` WHERE `rowid` IN (SELECT `old` FROM `search_rowid_moves`);--> statement-breakpoint
UPDATE `search_documents` SET `rowid` = m.`new` FROM `search_rowid_moves` m WHERE `search_documents`.`rowid` = m.`old`;--> statement-breakpoint
DROP TABLE `search_rowid_moves`;
