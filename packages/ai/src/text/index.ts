// Text models: sentiment (lexicon + logistic regression) and reply classification. Only the
// public surface is re-exported, so generic helper names do not collide with other parts.
export { tokenize, textFeatures, type Token } from "./tokenize";
export type { LinearModel, LinearTrainingOptions } from "./linear-model";
export { detectEmotions, detectUrgency, extractKeyPhrases } from "./signals";
export type { EmotionScore, KeyPhrase, Urgency, UrgencyLevel } from "./signals";
export { emotionNames, type Emotion } from "./lexicon";
export { scoreLexicon, type LexiconHit, type LexiconScore } from "./sentiment-lexicon";
export {
  analyzeSentiment,
  defaultSentimentModel,
  sentimentLabels,
  sentimentLogOdds,
  sentimentModelName,
  sentimentModelVersion,
  trainSentimentModel,
} from "./sentiment";
export type { LabelledText, Sentiment, SentimentLabel, SentimentOptions } from "./sentiment";
export { replyClassNames, replyCues, type ReplyClassName, type ReplyCue } from "./reply-cues";
export { findReferredContact, parseReturnDate, replyOwnText, type ReferredContact } from "./reply-text";
export {
  classifyReplyIntent,
  defaultAwayPauseDays,
  defaultReplyModel,
  matchReplyCues,
  replyModelName,
  replyModelVersion,
  suggestedActionFor,
  trainReplyModel,
} from "./reply";
export type {
  LabelledReply,
  ReplyClassification,
  ReplyClassifyOptions,
  ReplyToClassify,
  SuggestedAction,
  SuggestedActionType,
} from "./reply";
