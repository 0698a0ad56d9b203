import { type Database, newId, outboxMessages } from "@crm/db";

export interface OutgoingMail {
  tenantId: string | null;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
  /** Stable per logical message: sending the same key twice sends once. */
  dedupeKey: string;
  /** The sending identity (outreach mailboxes); the platform's own address when absent. */
  from?: { address: string; name?: string | undefined } | undefined;
  replyTo?: string | undefined;
  /** Extra headers: Message-ID, List-Unsubscribe, List-Unsubscribe-Post, In-Reply-To. */
  headers?: Record<string, string> | undefined;
}

export interface MailTransport {
  readonly name: string;
  send(mail: OutgoingMail): Promise<{ messageId: string; duplicate: boolean }>;
}

/**
 * The development transport: messages stop in D1's outbox table, readable at
 * GET /api/v1/dev/outbox. The unique dedupe key makes a redelivered job a no-op.
 */
export class DevOutboxTransport implements MailTransport {
  readonly name = "dev-outbox";
  constructor(private readonly db: Database) {}

  async send(mail: OutgoingMail) {
    const id = newId("outbox");
    const inserted = await this.db
      .insert(outboxMessages)
      .values({
        id,
        tenantId: mail.tenantId,
        kind: mail.kind,
        toAddress: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html ?? null,
        transport: this.name,
        dedupeKey: mail.dedupeKey,
      })
      .onConflictDoNothing({ target: outboxMessages.dedupeKey })
      .returning({ id: outboxMessages.id });
    return { messageId: inserted[0]?.id ?? id, duplicate: inserted.length === 0 };
  }
}
