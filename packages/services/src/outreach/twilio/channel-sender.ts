import type { twilioAccounts } from "@crm/db";
import { openSecret } from "../../crypto/sealed-secrets";

export type TwilioAccountRow = typeof twilioAccounts.$inferSelect;
export type MessagingChannel = "sms" | "whatsapp" | "call";

export const twilioApiBaseUrl = "https://api.twilio.com";

/** What a non-email step needs sent; the send pipeline calls it (email goes through MailTransport). */
export interface ChannelSender {
  readonly name: string;
  /** Whether this account can send on the channel (WhatsApp needs a WhatsApp sender). */
  supports(channel: MessagingChannel): boolean;
  /** Throws ChannelSendError when the provider did not accept it. */
  send(message: ChannelMessage): Promise<{ providerMessageId: string }>;
}

export interface ChannelMessage {
  channel: MessagingChannel;
  /** E.164, e.g. +14155550123. */
  to: string;
  /** The text (sms, whatsapp) or what the voice says (call). */
  body: string;
  /** Where the provider posts status changes (see twilioStatusCallbackUrl). */
  statusCallbackUrl?: string | undefined;
}

/** A message or call the provider refused or could not take; `permanent` as for MailTransportError. */
export class ChannelSendError extends Error {
  constructor(
    readonly provider: string,
    message: string,
    readonly permanent: boolean,
    readonly providerCode: number | null = null,
  ) {
    super(message);
    this.name = "ChannelSendError";
  }
}

/** Where Twilio reports a message's or call's status; the tenant's token verifies it. */
export function twilioStatusCallbackUrl(publicApiUrl: string, tenantId: string, outreachMessageId: string): string {
  return `${publicApiUrl.replace(/\/+$/, "")}/hooks/twilio/${tenantId}/status?message=${encodeURIComponent(outreachMessageId)}`;
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!,
  );
}

/** TwiML for a call step: the body read out once. */
export function callTwiml(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Say>${escapeXml(body)}</Say></Response>`;
}

interface TwilioError {
  code?: number;
  message?: string;
}

/**
 * Twilio's REST API (2010-04-01): SMS and WhatsApp through Messages.json, calls through
 * Calls.json with inline TwiML. HTTP Basic auth with the account SID and auth token.
 */
export class TwilioChannelSender implements ChannelSender {
  readonly name = "twilio";

  constructor(
    private readonly account: Pick<TwilioAccountRow, "accountSid" | "fromNumber" | "whatsappFrom" | "apiBaseUrl">,
    private readonly authToken: () => Promise<string>,
  ) {}

  supports(channel: MessagingChannel): boolean {
    return channel !== "whatsapp" || this.account.whatsappFrom !== null;
  }

  async send(message: ChannelMessage): Promise<{ providerMessageId: string }> {
    if (!this.supports(message.channel))
      throw new ChannelSendError(this.name, "No WhatsApp sender is configured for this Twilio account", true);
    const form = new URLSearchParams();
    let resource: string;
    if (message.channel === "call") {
      resource = "Calls.json";
      form.set("To", message.to);
      form.set("From", this.account.fromNumber);
      form.set("Twiml", callTwiml(message.body));
      if (message.statusCallbackUrl) {
        form.set("StatusCallback", message.statusCallbackUrl);
        form.set("StatusCallbackMethod", "POST");
      }
    } else {
      resource = "Messages.json";
      const whatsapp = message.channel === "whatsapp";
      form.set("To", whatsapp ? `whatsapp:${message.to}` : message.to);
      form.set("From", whatsapp ? `whatsapp:${this.account.whatsappFrom}` : this.account.fromNumber);
      form.set("Body", message.body);
      if (message.statusCallbackUrl) form.set("StatusCallback", message.statusCallbackUrl);
    }
    const base = (this.account.apiBaseUrl ?? twilioApiBaseUrl).replace(/\/+$/, "");
    const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(this.account.accountSid)}/${resource}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: {
          authorization: `Basic ${btoa(`${this.account.accountSid}:${await this.authToken()}`)}`,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: form.toString(),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      throw new ChannelSendError(this.name, `Twilio could not be reached: ${text}`, false);
    }
    const answer = (await response.json().catch(() => ({}))) as { sid?: string } & TwilioError;
    if (response.ok && answer.sid) return { providerMessageId: answer.sid };
    // 4xx (bad number, bad credentials, unverified sender) will fail again; 429 and 5xx may not.
    const permanent = response.status >= 400 && response.status < 500 && response.status !== 429;
    throw new ChannelSendError(
      this.name,
      `Twilio refused the ${message.channel === "call" ? "call" : "message"} (HTTP ${response.status}, code ${answer.code ?? "none"}): ${answer.message ?? "no message"}`,
      permanent,
      answer.code ?? null,
    );
  }
}

/** `<tenantId>:<rowId>`: the token opens only for the account row it was sealed for. */
export const twilioTokenBinding = (account: Pick<TwilioAccountRow, "tenantId" | "id">) =>
  `${account.tenantId}:${account.id}`;

/**
 * The tenant's sender for sms/whatsapp/call steps, or null when it has no Twilio account
 * (the pipeline then skips such steps with reason `channel_not_configured`).
 */
export function channelSenderFor(deps: { secretsKey: string }, account: TwilioAccountRow | null): ChannelSender | null {
  if (!account) return null;
  let token: Promise<string> | undefined;
  return new TwilioChannelSender(
    account,
    () =>
      (token ??= openSecret(deps.secretsKey, account.sealedAuthToken, twilioTokenBinding(account)).catch(() => {
        throw new ChannelSendError("twilio", "The Twilio auth token cannot be opened; enter it again", true);
      })),
  );
}
