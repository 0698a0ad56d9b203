import { LogLevel, WorkerMailer, type WorkerMailerOptions } from "worker-mailer";
import { MailTransportError, type MailTransport, type OutgoingMail, singleLine } from "../../mail/transport";

export interface SmtpSettings {
  host: string;
  port: number;
  /** "tls": TLS from the first byte (465); "starttls": upgrade after EHLO when offered; "none": plain. */
  security: "tls" | "starttls" | "none";
  username?: string | undefined;
  /** Seconds to wait for the connection and for each server reply. */
  timeoutSeconds?: number;
}

/** The first SMTP reply code in a message, e.g. 550 in "Invalid RCPT TO: <x> 550 No such user". */
function replyCode(message: string): number | null {
  const match = /\b([2345]\d\d)[ -]/.exec(message);
  return match ? Number(match[1]) : null;
}

/**
 * SMTP over `cloudflare:sockets` (worker-mailer): one connection per message, AUTH PLAIN or
 * LOGIN when the server offers it, TLS from the start or STARTTLS. The Message-ID header is
 * set here when the caller has none, so the id is known to the caller either way.
 */
export class SmtpTransport implements MailTransport {
  readonly name = "smtp";

  constructor(
    private readonly settings: SmtpSettings,
    private readonly password: () => Promise<string | undefined>,
    private readonly defaults: { from: { address: string; name?: string | null | undefined } },
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string; duplicate: boolean }> {
    const from = mail.from ?? this.defaults.from;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(mail.headers ?? {})) headers[name] = singleLine(value);
    const messageId =
      headers["Message-ID"] ?? `<${crypto.randomUUID()}@${from.address.split("@").pop() ?? "localhost"}>`;
    headers["Message-ID"] = messageId;

    const password = await this.password();
    const timeoutMs = (this.settings.timeoutSeconds ?? 15) * 1000;
    const options: WorkerMailerOptions = {
      host: this.settings.host,
      port: this.settings.port,
      secure: this.settings.security === "tls",
      startTls: this.settings.security === "starttls",
      authType: ["plain", "login"],
      ...(this.settings.username
        ? { credentials: { username: this.settings.username, password: password ?? "" } }
        : {}),
      logLevel: LogLevel.NONE,
      socketTimeoutMs: timeoutMs,
      responseTimeoutMs: timeoutMs,
    };
    const where = `${this.settings.host}:${this.settings.port}`;
    let mailer: WorkerMailer;
    try {
      mailer = await WorkerMailer.connect(options);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = replyCode(message);
      // A refused login or a missing AUTH method is configuration: retrying will not help.
      const permanent = (code !== null && code >= 500) || /auth/i.test(message);
      throw new MailTransportError(this.name, `SMTP session with ${where} failed: ${message}`, permanent, code);
    }
    try {
      await mailer.send({
        from: { email: from.address, ...(from.name ? { name: singleLine(from.name) } : {}) },
        to: mail.to,
        ...(mail.replyTo ? { reply: singleLine(mail.replyTo) } : {}),
        subject: singleLine(mail.subject),
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        headers,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = replyCode(message);
      throw new MailTransportError(
        this.name,
        `${where} did not accept the message: ${message}`,
        code === null ? false : code >= 500,
        code,
      );
    } finally {
      await mailer.close().catch(() => undefined);
    }
    return { messageId, duplicate: false };
  }
}
