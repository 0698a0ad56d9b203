import type { Mailbox, MailboxTransport } from "../types";

/**
 * The mailbox form's values and the API body they make. Secrets (the SMTP password, the
 * Postmark server token) are write-only: the form starts them empty, and an empty secret on
 * an edit leaves the stored one as it is.
 */
export interface MailboxValues {
  name: string;
  fromAddress: string;
  fromName: string;
  transport: MailboxTransport;
  host: string;
  port: string;
  security: "tls" | "starttls" | "none";
  username: string;
  password: string;
  serverToken: string;
  apiBaseUrl: string;
  messageStream: string;
  dailyCap: string;
  minSpacingSeconds: string;
  isDefault: boolean;
}

export const transportLabels: Record<MailboxTransport, string> = {
  dev_outbox: "Dev outbox (nothing leaves the CRM)",
  smtp: "SMTP server",
  postmark: "Postmark",
};

export function mailboxValues(mailbox: Mailbox | null): MailboxValues {
  const settings = mailbox?.settings ?? {};
  return {
    name: mailbox?.name ?? "",
    fromAddress: mailbox?.fromAddress ?? "",
    fromName: mailbox?.fromName ?? "",
    transport: mailbox?.transport ?? "smtp",
    host: settings.host ?? "",
    port: settings.port ? String(settings.port) : "587",
    security: settings.security ?? "starttls",
    username: settings.username ?? "",
    password: "",
    serverToken: "",
    apiBaseUrl: settings.apiBaseUrl ?? "",
    messageStream: settings.messageStream ?? "",
    dailyCap: String(mailbox?.dailyCap ?? 200),
    minSpacingSeconds: String(mailbox?.minSpacingSeconds ?? 60),
    isDefault: mailbox?.isDefault ?? false,
  };
}

const numberOrText = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim());

export function mailboxBody(values: MailboxValues, editing: boolean) {
  const settings =
    values.transport === "smtp"
      ? {
          // Empty fields are left out, so the API names what is missing rather than "too short".
          host: values.host.trim() || undefined,
          port: values.port.trim() ? numberOrText(values.port) : undefined,
          security: values.security,
          username: values.username.trim() || undefined,
        }
      : values.transport === "postmark"
        ? {
            apiBaseUrl: values.apiBaseUrl.trim() || undefined,
            messageStream: values.messageStream.trim() || undefined,
          }
        : {};
  const secret =
    values.transport === "smtp" ? values.password : values.transport === "postmark" ? values.serverToken : "";
  const credentials = values.transport === "smtp" ? { password: values.password } : { serverToken: values.serverToken };
  return {
    name: values.name.trim(),
    fromAddress: values.fromAddress.trim(),
    fromName: values.fromName.trim() || null,
    transport: values.transport,
    settings,
    // Only a typed secret is sent: on an edit, leaving it empty keeps the stored one.
    ...(secret ? { credentials } : {}),
    dailyCap: numberOrText(values.dailyCap),
    minSpacingSeconds: numberOrText(values.minSpacingSeconds),
    // A new mailbox leaves it unsaid unless ticked: the tenant's first mailbox becomes the default.
    ...(editing || values.isDefault ? { isDefault: values.isDefault } : {}),
  };
}
