import type { mailboxes } from "@crm/db";
import { openSecret, sealSecret } from "../crypto/sealed-secrets";

export type MailboxRow = typeof mailboxes.$inferSelect;

/** The secrets a mailbox's transport needs; sealed together as one JSON value. */
export interface MailboxCredentials {
  /** smtp: the AUTH password (the user name is a plain setting). */
  password?: string;
  /** postmark: the server API token. */
  serverToken?: string;
}

/** Bound to the row, so a sealed value copied to another mailbox or tenant does not open. */
const boundTo = (mailbox: Pick<MailboxRow, "tenantId" | "id">) => `${mailbox.tenantId}:${mailbox.id}`;

export function sealMailboxCredentials(
  secretsKey: string,
  mailbox: Pick<MailboxRow, "tenantId" | "id">,
  credentials: MailboxCredentials,
): Promise<string> {
  return sealSecret(secretsKey, JSON.stringify(credentials), boundTo(mailbox));
}

export async function openMailboxCredentials(
  secretsKey: string,
  mailbox: Pick<MailboxRow, "tenantId" | "id" | "sealedCredentials">,
): Promise<MailboxCredentials> {
  if (!mailbox.sealedCredentials) return {};
  return JSON.parse(await openSecret(secretsKey, mailbox.sealedCredentials, boundTo(mailbox))) as MailboxCredentials;
}
