import { inject } from "vitest";
import type { CapturedPostmarkRequest, CapturedSmtpMessage } from "./mail-servers";

export type { CapturedPostmarkRequest, CapturedSmtpMessage } from "./mail-servers";

/** What the test SMTP servers (test/mail-servers.ts) received for this address, oldest first. */
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
