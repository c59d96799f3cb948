/** The capture's workflow ID: `pendo-capture:<capture>`. */
export const captureWorkflowId = (capture: string): string => `pendo-capture:${capture}`;
/** A binding's child workflow ID: `pendo-capture:<capture>:<Resource>`. */
export const bindingWorkflowId = (capture: string, resource: string): string => `pendo-capture:${capture}:${resource}`;
