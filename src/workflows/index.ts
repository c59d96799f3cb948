export { capture, type CaptureInput } from './capture';
export { captureBinding, type CaptureBindingInput } from './capture-binding';
export { dataflow } from './dataflow';
export type { DataflowInput } from '../shared/dataflow-types';
export { pipeline, type PipelineInput } from './pipeline';
