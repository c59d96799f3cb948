export const CAPTURE_TASK_QUEUE = 'pendo-capture';
