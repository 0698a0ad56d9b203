// The built-in content engine: emails, SMS and social posts from tenant templates, and
// deterministic rewrite, shorten and improve operations.
export { type ContentChannel, channelLimits, contentChannels, subjectLimit } from "./message";
export * from "./operations";
export {
  type ContentChange,
  type ContentTone,
  contentTones,
  toneCallsToAction,
  toneGreeting,
  toneSignOffs,
} from "./rules";
export { truncateAtWord } from "./text";
export * from "./template-ranking";
