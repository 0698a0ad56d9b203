// Non-email steps (SMS, WhatsApp, calls) go out through a provider adapter (Twilio) that
// implements this; without one configured such steps are skipped (`channel_not_configured`).

export interface ChannelMessage {
  channel: "sms" | "whatsapp" | "call";
  /** E.164 phone number. */
  to: string;
  /** The text (sms, whatsapp) or what the voice says (call). */
  body: string;
  /** Where the provider reports delivery status. */
  statusCallbackUrl: string;
}

export interface ChannelSender {
  send(message: ChannelMessage): Promise<{ providerMessageId: string }>;
}
