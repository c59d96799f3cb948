/** The pipeline's workflow ID: `pendo-pipeline:<name>`. */
export const pipelineWorkflowId = (name: string): string => `pendo-pipeline:${name}`;
