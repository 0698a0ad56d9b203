import { type Database, newId, outboxMessages } from "@crm/db";
import { eq } from "drizzle-orm";

export interface OutgoingMail {
  tenantId: string | null;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
  /** Stable per logical message: sending the same key twice sends once. */
  dedupeKey: string;
  /** The sender; transports for a mailbox default to its address and name. */
  from?: { address: string; name?: string | null | undefined } | undefined;
  replyTo?: string | undefined;
  /**
   * Extra headers by their canonical names: `Message-ID`, `In-Reply-To`, `References`,
   * `List-Unsubscribe`, `List-Unsubscribe-Post`. CR and LF are removed from values.
   */
  headers?: Record<string, string> | undefined;
}

export interface MailTransport {
  readonly name: string;
  /**
   * `messageId`: the provider's id for the message (the outbox row, the SMTP Message-ID
   * header, Postmark's MessageID). Throws MailTransportError when the message was not accepted.
   */
  send(mail: OutgoingMail): Promise<{ messageId: string; duplicate: boolean }>;
}

/**
 * A send the server or provider did not accept. `permanent`: sending the same message again
 * will fail the same way (a refused recipient, bad credentials, invalid input); otherwise a
 * retry may succeed (connection failure, timeout, 4xx SMTP reply, provider outage).
 */
export class MailTransportError extends Error {
  constructor(
    readonly transport: string,
    message: string,
    readonly permanent: boolean,
    /** The SMTP reply code or the provider's error code, when there is one. */
    readonly providerCode: number | null = null,
  ) {
    super(message);
    this.name = "MailTransportError";
  }
}

/** A header value or subject without line breaks: nothing a template renders can add a header. */
export function singleLine(value: string): string {
  return value.replace(/[\r\n]+/g, " ").trim();
}

/**
 * The development transport: messages stop in D1's outbox table, readable at
 * GET /api/v1/dev/outbox. The unique dedupe key makes a redelivered job a no-op.
 */
export class DevOutboxTransport implements MailTransport {
  static readonly transportName = "dev-outbox";
  readonly name = DevOutboxTransport.transportName;

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
    if (inserted.length > 0) return { messageId: id, duplicate: false };
    // Sent before: the id of the message that went out, so callers record the same one.
    const [existing] = await this.db
      .select({ id: outboxMessages.id })
      .from(outboxMessages)
      .where(eq(outboxMessages.dedupeKey, mail.dedupeKey));
    return { messageId: existing?.id ?? id, duplicate: true };
  }
}
