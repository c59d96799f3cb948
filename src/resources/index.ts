// Workflow code imports this: keys.ts is for the I/O side and stays out of the workflow bundle.
export * from './registry';
