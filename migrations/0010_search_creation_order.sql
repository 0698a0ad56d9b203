ALTER TABLE `search_documents` ADD `out_of_order` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `search_documents_tenant_type_out_of_order_idx` ON `search_documents` (`tenant_id`,`record_type`) WHERE "search_documents"."out_of_order" = 1;--> statement-breakpoint
-- Existing entries: out of order when created no later (created_at, then record id) than an
-- entry indexed before them in their space, or when their created_at is unknown.
UPDATE `search_documents` SET `out_of_order` = 1 WHERE `rowid` IN (
  SELECT `rowid` FROM (
    SELECT `rowid`, `created_at`, printf('%020d', `created_at`) || `record_id` AS `creation_key`,
      max(printf('%020d', `created_at`) || `record_id`) OVER (
        PARTITION BY `tenant_id`, `record_type` ORDER BY `rowid` ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
      ) AS `latest_before`
    FROM `search_documents`
  ) WHERE `created_at` IS NULL OR `created_at` < 0 OR `creation_key` <= `latest_before`
);
