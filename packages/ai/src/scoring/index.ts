// Lead scoring and churn models over generic records: encoding, models, metrics, rules.
export * from "./encoding";
export * from "./logistic";
export * from "./boosting";
export * from "./metrics";
export * from "./model";
export * from "./rules";
export * from "./churn";
