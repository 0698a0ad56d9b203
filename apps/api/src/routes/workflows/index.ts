import type { App } from "../../app";
import { registerWorkflowActivation } from "./activate";
import { registerCreateWorkflow } from "./create";
import { registerDeleteWorkflow } from "./delete";
import { registerWorkflowExecutionRoutes } from "./executions";
import { registerGetWorkflow } from "./get";
import { registerListWorkflows } from "./list";
import { registerRunWorkflow } from "./run";
import { registerUpdateWorkflow } from "./update";
import { registerListWorkflowVersions } from "./versions";

export function registerWorkflowRoutes(app: App): void {
  registerCreateWorkflow(app);
  registerListWorkflows(app);
  registerGetWorkflow(app);
  registerUpdateWorkflow(app);
  registerDeleteWorkflow(app);
  registerWorkflowActivation(app);
  registerListWorkflowVersions(app);
  registerRunWorkflow(app);
  registerWorkflowExecutionRoutes(app);
}
