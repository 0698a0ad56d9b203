export * from "./access";
export * from "./context";
export * from "./audit";
export * from "./auth";
export * from "./api-keys";
export * from "./mail/transport";
export * from "./crypto/sealed-secrets";
export * from "./audit-log";
export * from "./idempotency";
export * from "./lists";
export * from "./records";
export * from "./batch-guard";
export * from "./invitations";
export * from "./members";
export * from "./mail/outbox";
export * from "./contacts";
export * from "./companies";
export * from "./tasks";
export * from "./notes";
export * from "./activities";
export * from "./timeline";
export * from "./custom-fields";
export * from "./views";
export * from "./settings";
export * from "./pipelines";
export * from "./deals";
export * from "./leads";
export * from "./stats";
export * from "./imports";
export * from "./events";
export * from "./webhooks";
export * from "./workflows";
// Mailboxes, mail transports and the Twilio adapter. Named exports: the sequence module also
// exports `MailboxRow`, `ChannelMessage` and `ChannelSender` (the same shapes) from ./outreach.
export {
  createMailbox,
  defaultMailbox,
  deleteMailbox,
  findMailbox,
  getMailbox,
  listMailboxes,
  type MailboxDeps,
  type MailboxInput,
  type MailboxTestResult,
  publicMailbox,
  type PublicMailbox,
  sendingMailboxFor,
  sendMailboxTest,
  updateMailbox,
} from "./outreach/mailboxes";
export {
  type MailboxCredentials,
  openMailboxCredentials,
  sealMailboxCredentials,
} from "./outreach/mailbox-credentials";
export { mailTransportFor, type MailTransportDeps } from "./outreach/transport-factory";
export { SmtpTransport, type SmtpSettings } from "./outreach/transports/smtp";
export { postmarkApiBaseUrl, PostmarkTransport, type PostmarkSettings } from "./outreach/transports/postmark";
export { twilioSignature, verifyTwilioSignature } from "./outreach/twilio/signature";
export {
  callTwiml,
  ChannelSendError,
  channelSenderFor,
  type MessagingChannel,
  twilioApiBaseUrl,
  type TwilioAccountRow,
  TwilioChannelSender,
  twilioStatusCallbackUrl,
  twilioTokenBinding,
} from "./outreach/twilio/channel-sender";
export {
  deleteTwilioAccount,
  getTwilioSettings,
  publicTwilioAccount,
  putTwilioAccount,
  twilioAccountFor,
  type TwilioAccountInput,
} from "./outreach/twilio/accounts";
export {
  applyTwilioStatusCallback,
  type TwilioCallback,
  type TwilioCallbackOutcome,
} from "./outreach/twilio/status-callback";
