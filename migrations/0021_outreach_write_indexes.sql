DROP INDEX `outbox_messages_tenant_created_idx`;--> statement-breakpoint
DROP INDEX `outreach_messages_enrollment_idx`;