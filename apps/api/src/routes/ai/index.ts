import type { App } from "../../app";
import { registerChurnRisk } from "./churn-risk";
import { registerContactScore } from "./contact-score";
import { registerGetModel } from "./get-model";
import { registerListModels } from "./list-models";
import { registerOverrideScore } from "./override-score";
import { registerRescore } from "./rescore";
import { registerAiSettings } from "./settings";
import { registerTrainModel } from "./train-model";

export function registerAiRoutes(app: App): void {
  registerTrainModel(app);
  registerListModels(app);
  registerGetModel(app);
  registerContactScore(app);
  registerOverrideScore(app);
  registerChurnRisk(app);
  registerRescore(app);
  registerAiSettings(app);
}
