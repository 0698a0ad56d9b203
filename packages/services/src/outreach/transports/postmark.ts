import { MailTransportError, type MailTransport, type OutgoingMail, singleLine } from "../../mail/transport";

export const postmarkApiBaseUrl = "https://api.postmarkapp.com";

export interface PostmarkSettings {
  /** Postmark's API by default; a local server speaking its API in tests. */
  apiBaseUrl?: string | undefined;
  /** Postmark's message stream: "outbound" (transactional) unless the mailbox names another. */
  messageStream?: string | undefined;
}

interface PostmarkResponse {
  ErrorCode?: number;
  Message?: string;
  MessageID?: string;
}

/** `"Name" <address>`, quoting the name as RFC 5322 wants. */
function mailbox(address: string, name: string | null | undefined): string {
  if (!name) return address;
  return `"${singleLine(name).replace(/["\\]/g, "\\$&")}" <${address}>`;
}

/**
 * Postmark's HTTP API (POST /email with X-Postmark-Server-Token). Opens and links are tracked
 * by the CRM itself, so Postmark's own tracking is off. Error codes per Postmark's API docs:
 * 401/10 bad token and 422 invalid requests are permanent; 429, 5xx and network errors are not.
 */
export class PostmarkTransport implements MailTransport {
  readonly name = "postmark";

  constructor(
    private readonly settings: PostmarkSettings,
    private readonly serverToken: () => Promise<string | undefined>,
    private readonly defaults: { from: { address: string; name?: string | null | undefined } },
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string; duplicate: boolean }> {
    const token = await this.serverToken();
    if (!token) throw new MailTransportError(this.name, "The mailbox has no Postmark server token", true);
    const from = mail.from ?? this.defaults.from;
    const headers = Object.entries(mail.headers ?? {}).map(([Name, value]) => ({ Name, Value: singleLine(value) }));
    const body = {
      From: mailbox(from.address, from.name),
      To: mail.to,
      Subject: singleLine(mail.subject),
      TextBody: mail.text,
      ...(mail.html ? { HtmlBody: mail.html } : {}),
      ...(mail.replyTo ? { ReplyTo: singleLine(mail.replyTo) } : {}),
      ...(headers.length > 0 ? { Headers: headers } : {}),
      MessageStream: this.settings.messageStream ?? "outbound",
      TrackOpens: false,
      TrackLinks: "None",
    };
    const url = `${(this.settings.apiBaseUrl ?? postmarkApiBaseUrl).replace(/\/+$/, "")}/email`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: {
          accept: "application/json",
          "content-type": "application/json",
          "x-postmark-server-token": token,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new MailTransportError(this.name, `Postmark could not be reached: ${message}`, false);
    }
    const text = await response.text();
    let answer: PostmarkResponse;
    try {
      answer = JSON.parse(text) as PostmarkResponse;
    } catch {
      answer = { Message: text.slice(0, 200) };
    }
    if (response.ok && answer.ErrorCode === 0 && answer.MessageID)
      return { messageId: answer.MessageID, duplicate: false };
    const permanent = response.status === 401 || response.status === 422 || (response.ok && answer.ErrorCode !== 0);
    throw new MailTransportError(
      this.name,
      `Postmark refused the message (HTTP ${response.status}, ErrorCode ${answer.ErrorCode ?? "none"}): ${answer.Message ?? "no message"}`,
      permanent,
      answer.ErrorCode ?? null,
    );
  }
}
