import { expect } from "vitest";
import { api, json, password, type TestTenant, uniqueEmail } from "./harness";

/** A fresh client address, so per-IP throttles in one test never bleed into another. */
export function freshIp(): Record<string, string> {
  const octet = () => Math.floor(Math.random() * 250) + 1;
  return { "cf-connecting-ip": `172.${octet()}.${octet()}.${octet()}` };
}

export interface OutboxMessage {
  id: string;
  tenantId: string | null;
  kind: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
}

/** Mail to `to` in the dev outbox, newest first. */
export async function mailTo(to: string): Promise<OutboxMessage[]> {
  const response = await api("GET", `/api/v1/dev/outbox?to=${encodeURIComponent(to)}&limit=200`);
  expect(response.status).toBe(200);
  return (await json<{ data: OutboxMessage[] }>(response)).data;
}

/**
 * Waits until the queue consumer has delivered mail of this kind to `to` that is not among
 * `seen` (ids already there before the request) and returns it. The message travels the
 * real path: route → JOBS queue → consumer → outbox.
 */
export async function waitForMail(
  to: string,
  kind: string,
  seen: string[] = [],
  timeoutMs = 15_000,
): Promise<OutboxMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await mailTo(to)).find((m) => m.kind === kind && !seen.includes(m.id));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No ${kind} mail reached ${to} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The `token` query parameter of the first link to `path` in a mail's text. */
export function tokenFromMail(mail: OutboxMessage, path: string): string {
  const match = new RegExp(`https?://\\S+${path}\\?token=([^\\s]+)`).exec(mail.text);
  if (!match) throw new Error(`No ${path} link in: ${mail.text}`);
  return decodeURIComponent(match[1]!);
}

/** Invites `email` into the owner's tenant and returns the invitation and the emailed token. */
export async function invite(inviter: { accessToken: string }, email: string, role: string) {
  const seen = (await mailTo(email)).map((m) => m.id);
  const response = await api("POST", "/api/v1/invitations", { token: inviter.accessToken, body: { email, role } });
  expect(response.status, await response.clone().text()).toBe(201);
  const invitation = await json(response);
  const mail = await waitForMail(email, "invitation", seen);
  return { invitation, token: tokenFromMail(mail, "/accept-invitation") };
}

export interface TestPerson extends TestTenant {
  userId: string;
}

/** A new person who joined the owner's tenant with `role` through an invitation. */
export async function addMember(owner: TestTenant, role: string): Promise<TestPerson> {
  const email = uniqueEmail(role);
  const { token } = await invite(owner, email, role);
  const response = await api("POST", "/api/v1/invitations/accept", {
    body: { token, name: `${role} person`, password },
    headers: freshIp(),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  const session = await json(response);
  const me = await json(await api("GET", "/api/v1/me", { token: session.accessToken }));
  return {
    tenantId: session.tenantId,
    email,
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    userId: me.user.id,
  };
}

/** The user id behind a session. */
export async function userIdOf(session: { accessToken: string }): Promise<string> {
  const response = await api("GET", "/api/v1/me", { token: session.accessToken });
  expect(response.status).toBe(200);
  return (await json(response)).user.id;
}
