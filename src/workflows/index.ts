export { capture, type CaptureInput } from './capture';
export { captureBinding, type CaptureBindingInput } from './capture-binding';
