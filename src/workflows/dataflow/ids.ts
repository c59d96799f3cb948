/** The dataflow's workflow ID: `aep-dataflow:<sandbox>:<name>`. */
export const dataflowWorkflowId = (sandbox: string, name: string): string => `aep-dataflow:${sandbox}:${name}`;
