import type { App } from "../../app";
import { registerClassifyReply } from "./classify-reply";
import { registerGenerateContent } from "./content";
import { registerListAiOutputs } from "./outputs";
import { registerRewriteContent } from "./rewrite";
import { registerAnalyseSentiment } from "./sentiment";

export function registerAiRoutes(app: App): void {
  registerAnalyseSentiment(app);
  registerClassifyReply(app);
  registerListAiOutputs(app);
  registerGenerateContent(app);
  registerRewriteContent(app);
}
