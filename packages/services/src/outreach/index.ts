export { enrollByFilter, maxFilterEnrollment, previewEnrollmentFilter } from "./by-filter";
export { consentBlock, isSuppressed } from "./consent";
export {
  type EnrollInput,
  type EnrollResult,
  enrollContacts,
  exitEnrollment,
  exitEnrollmentsForContact,
  getEnrollment,
  listEnrollments,
  pauseEnrollment,
  publicEnrollment,
  resumeEnrollment,
  resumeTimedPauses,
  unenroll,
} from "./enrollments";
export { outreachLinks, type OutreachLinkEnv } from "./links";
export { previewSequence } from "./preview";
export {
  type DueSend,
  findDueSends,
  type SendDeps,
  sendEnrollmentStep,
  type SendJob,
  sendLeaseMs,
  type SendOutcome,
} from "./send";
export { sendEnrollmentSteps } from "./send-batch";
export {
  createSequence,
  defaultExitRules,
  defaultSendWindow,
  deleteSequence,
  getSequence,
  listSequences,
  publicSequence,
  type SequenceInput,
  type SequenceUpdate,
  updateSequence,
} from "./sequences";
export { sequenceStats } from "./stats";
export * from "./mailboxes";
export * from "./mailbox-credentials";
export * from "./transport-factory";
export * from "./transports/smtp";
export * from "./transports/postmark";
export * from "./twilio/signature";
export * from "./twilio/channel-sender";
export * from "./twilio/accounts";
export * from "./twilio/status-callback";
export {
  type ContactEmailInput,
  type OneOffEmail,
  type OneOffRefusal,
  type OneOffSend,
  type RecipientRefusal,
  oneOffRecipient,
  sendContactEmail,
  sendOneOffEmail,
} from "./one-off";
