// Decisions of the built-in engine: next best actions and recommendations, the pipeline agent's
// decision for a deal, and the daily review's stuck deals.
export {
  type DecisionReplyClass,
  type Instant,
  type KnownAutoAction,
  type ReplyFacts,
  type ScoreFacts,
  type SequenceFacts,
  type StageFacts,
  type StoredReplyClass,
  decisionReplyClasses,
  knownAutoActions,
  normaliseReplyClass,
} from "./facts";
export * from "./next-best-action";
export * from "./pipeline-agent";
export * from "./recommendations";
export * from "./stuck-deals";
