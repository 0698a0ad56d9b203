import type { Database } from "@crm/db";
import { DevOutboxTransport, type MailTransport } from "../mail/transport";
import type { MailboxRow } from "./render";

/**
 * The transport a mailbox sends through. Without a mailbox (or for a dev_outbox one) mail
 * stops in the dev outbox (GET /api/v1/dev/outbox). The mailbox module adds SMTP and Postmark.
 */
export function mailTransportFor(
  deps: { secretsKey: string; db: Database },
  mailbox: MailboxRow | null,
): MailTransport {
  if (!mailbox || mailbox.transport === "dev_outbox") return new DevOutboxTransport(deps.db);
  throw new Error(
    `Mailbox ${mailbox.id} uses the ${mailbox.transport} transport, which this build cannot send through`,
  );
}
