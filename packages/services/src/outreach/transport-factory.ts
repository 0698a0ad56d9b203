import type { Database } from "@crm/db";
import { DevOutboxTransport, type MailTransport, MailTransportError } from "../mail/transport";
import { type MailboxRow, openMailboxCredentials } from "./mailbox-credentials";
import { PostmarkTransport } from "./transports/postmark";
import { SmtpTransport } from "./transports/smtp";

export interface MailTransportDeps {
  /** The Worker secret SECRETS_KEY: opens the mailbox's sealed credentials. */
  secretsKey: string;
  db: Database;
}

/**
 * The transport a mailbox sends through. No mailbox (a tenant without one) or a `dev_outbox`
 * mailbox: the dev outbox. Credentials are opened at send time, once per transport.
 */
export function mailTransportFor(deps: MailTransportDeps, mailbox: MailboxRow | null): MailTransport {
  if (!mailbox || mailbox.transport === "dev_outbox") return new DevOutboxTransport(deps.db);
  let opened: ReturnType<typeof openMailboxCredentials> | undefined;
  const credentials = () =>
    (opened ??= openMailboxCredentials(deps.secretsKey, mailbox).catch(() => {
      // Sealed under another SECRETS_KEY, or copied from another mailbox: never usable.
      throw new MailTransportError(
        mailbox.transport,
        `The credentials of mailbox ${mailbox.id} cannot be opened; enter them again`,
        true,
      );
    }));
  const defaults = { from: { address: mailbox.fromAddress, name: mailbox.fromName } };
  const settings = mailbox.settings;
  switch (mailbox.transport) {
    case "smtp":
      return new SmtpTransport(
        {
          host: settings.host ?? "",
          port: settings.port ?? 587,
          security: settings.security ?? ((settings.port ?? 587) === 465 ? "tls" : "starttls"),
          username: settings.username,
        },
        async () => (await credentials()).password,
        defaults,
      );
    case "postmark":
      return new PostmarkTransport(
        { apiBaseUrl: settings.apiBaseUrl, messageStream: settings.messageStream },
        async () => (await credentials()).serverToken,
        defaults,
      );
  }
}
