import type { App } from "../../app";
import { registerAiSettings } from "./settings";
import { registerAnalyseSentiment } from "./sentiment";
import { registerChurnRisk } from "./churn-risk";
import { registerClassifyReply } from "./classify-reply";
import { registerContactScore } from "./contact-score";
import { registerGenerateContent } from "./content";
import { registerContentTemplateStats } from "./content-templates";
import { registerGetAiOutput } from "./get-output";
import { registerRateAiOutput } from "./rate-output";
import { registerGetModel } from "./get-model";
import { registerListAiOutputs } from "./outputs";
import { registerListModels } from "./list-models";
import { registerOverrideScore } from "./override-score";
import { registerRescore } from "./rescore";
import { registerRewriteContent } from "./rewrite";
import { registerScoreDistribution } from "./score-distribution";
import { registerTrainModel } from "./train-model";

export function registerAiRoutes(app: App): void {
  registerTrainModel(app);
  registerListModels(app);
  registerGetModel(app);
  registerContactScore(app);
  registerOverrideScore(app);
  registerChurnRisk(app);
  registerRescore(app);
  registerScoreDistribution(app);
  registerAiSettings(app);
  registerAnalyseSentiment(app);
  registerClassifyReply(app);
  registerListAiOutputs(app);
  registerGetAiOutput(app);
  registerRateAiOutput(app);
  registerGenerateContent(app);
  registerContentTemplateStats(app);
  registerRewriteContent(app);
}
