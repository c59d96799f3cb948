export { capture, type CaptureInput } from './capture/workflow';
export { captureBinding, type CaptureBindingInput } from './capture/binding';
export { dataflow } from './dataflow/workflow';
export type { DataflowInput } from './dataflow/types';
export { pipeline, type PipelineInput } from './pipeline/workflow';
