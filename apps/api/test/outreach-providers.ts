import { inject } from "vitest";
import type { CapturedPostmarkRequest, CapturedSmtpMessage, CapturedTwilioRequest } from "./outreach-servers";

export type { CapturedPostmarkRequest, CapturedSmtpMessage, CapturedTwilioRequest } from "./outreach-servers";

/** What the test SMTP servers (test/outreach-servers.ts) received for this address, oldest first. */
export async function smtpMessagesTo(address: string): Promise<CapturedSmtpMessage[]> {
  const response = await fetch(`${inject("mailServersUrl")}/smtp/messages?to=${encodeURIComponent(address)}`);
  return (await response.json()) as CapturedSmtpMessage[];
}

/** What the Postmark-speaking test server received for this To address, oldest first. */
export async function postmarkRequestsTo(address: string): Promise<CapturedPostmarkRequest[]> {
  const response = await fetch(`${inject("mailServersUrl")}/postmark/requests?to=${encodeURIComponent(address)}`);
  return (await response.json()) as CapturedPostmarkRequest[];
}

/** A mailbox body for the plain-TCP test SMTP server with AUTH (no STARTTLS offered there). */
export function smtpMailboxBody(overrides: Record<string, unknown> = {}) {
  return {
    name: "Test SMTP",
    fromAddress: "ada@sender.test",
    fromName: "Ada Lovelace",
    transport: "smtp",
    settings: { host: "127.0.0.1", port: inject("smtpPort"), security: "none", username: inject("smtpUser") },
    credentials: { password: inject("smtpPassword") },
    ...overrides,
  };
}

/** A mailbox body for the Postmark-speaking test server. */
export function postmarkMailboxBody(overrides: Record<string, unknown> = {}) {
  return {
    name: "Test Postmark",
    fromAddress: "grace@sender.test",
    fromName: "Grace Hopper",
    transport: "postmark",
    settings: { apiBaseUrl: `${inject("mailServersUrl")}/postmark` },
    credentials: { serverToken: inject("postmarkToken") },
    ...overrides,
  };
}

/** What the Twilio-speaking test server received for this To (`+1…` or `whatsapp:+1…`), oldest first. */
export async function twilioRequestsTo(to: string): Promise<CapturedTwilioRequest[]> {
  const response = await fetch(`${inject("mailServersUrl")}/twilio/requests?to=${encodeURIComponent(to)}`);
  return (await response.json()) as CapturedTwilioRequest[];
}

/** Twilio settings pointing at the Twilio-speaking test server. */
export function twilioAccountBody(overrides: Record<string, unknown> = {}) {
  return {
    accountSid: inject("twilioAccountSid"),
    authToken: inject("twilioAuthToken"),
    fromNumber: "+14155550100",
    whatsappFrom: "+14155550101",
    apiBaseUrl: `${inject("mailServersUrl")}/twilio`,
    ...overrides,
  };
}
