// Text models: sentiment (lexicon + logistic regression) and reply classification.
export * from "./tokenize";
export * from "./linear-model";
export * from "./signals";
export * from "./sentiment-lexicon";
export * from "./sentiment";
export * from "./reply-cues";
export * from "./reply-text";
export * from "./reply";
