export const CAPTURE_TASK_QUEUE = 'pendo-capture';

export const captureWorkflowId = (capture: string): string => `pendo-capture:${capture}`;
export const bindingWorkflowId = (capture: string, resource: string): string => `pendo-capture:${capture}:${resource}`;
