// API shapes and choices for the AI composer (POST /api/v1/ai/content, /ai/content/rewrite and
// /outreach/emails).
import type { Engine, Factor } from "./scores";

export const channels = [
  { value: "email", label: "Email" },
  { value: "sms", label: "SMS (160 characters)" },
  { value: "social", label: "Social post" },
] as const;
export type Channel = (typeof channels)[number]["value"];

export const tones = ["professional", "friendly", "casual", "formal"] as const;
export type Tone = (typeof tones)[number];

export const operations = [
  { value: "improve", label: "Improve" },
  { value: "shorten", label: "Shorten" },
  { value: "rewrite", label: "Rewrite" },
] as const;
export type Operation = (typeof operations)[number]["value"];

export interface ContentChange {
  rule: string;
  from: string;
  to: string;
}

/** The draft shown in the preview: what generate or an edit answered. */
export interface Draft {
  channel: Channel;
  subject: string | null;
  body: string;
  characters: number;
  limit: number | null;
  truncated: boolean;
  changes: ContentChange[];
  factsUsed?: string[];
  fallbacksUsed?: string[];
  templateId?: string;
}

export interface Explained<T> {
  result: T;
  explanation: string;
  factors: Factor[];
  engine: Engine;
}

/** A contact as the composer's picker lists it (GET /api/v1/contacts). */
export interface ContactOption {
  id: string;
  firstName: string | null;
  lastName: string | null;
  emails: { address: string; primary: boolean }[];
  lifecycleStage: string | null;
}

export interface DealOption {
  id: string;
  name: string;
  status: string;
}

/** A sequence step's variant usable as a template. */
export interface TemplateOption {
  stepId: string;
  variantKey: string;
  label: string;
  channel: string;
}

export interface MailboxOption {
  id: string;
  name: string;
  fromAddress?: string | null;
  isDefault?: boolean;
}

export function contactName(contact: Pick<ContactOption, "firstName" | "lastName" | "emails" | "id">): string {
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(" ");
  return name || contact.emails.find((e) => e.primary)?.address || contact.emails[0]?.address || contact.id;
}

/** What POST /api/v1/outreach/emails answers (the message without its events and replies). */
export interface SentEmail {
  message: {
    id: string;
    status: string;
    contactId: string | null;
    fromAddress: string | null;
    toAddress: string;
    subject: string | null;
  };
  delivery: "mailbox" | "dev_outbox";
  /** Set when the email went to the dev outbox instead of the contact. */
  notice: string | null;
}
