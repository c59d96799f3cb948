import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CAPTURE_NAME = defineSearchAttributeKey('PendoCapture', SearchAttributeType.KEYWORD);
export const PENDO_RESOURCE = defineSearchAttributeKey('PendoResource', SearchAttributeType.KEYWORD);
export const CAPTURE_STATE = defineSearchAttributeKey('PendoflowState', SearchAttributeType.KEYWORD);

export const AEP_SANDBOX = defineSearchAttributeKey('AepSandbox', SearchAttributeType.KEYWORD);
export const AEP_DATAFLOW = defineSearchAttributeKey('AepDataflow', SearchAttributeType.KEYWORD);
export const AEP_PHASE = defineSearchAttributeKey('AepPhase', SearchAttributeType.KEYWORD);

/** Registered at worker start-up when missing, and passed to the dev server in tests and the demo. */
export const SEARCH_ATTRIBUTES = [
  CAPTURE_NAME,
  PENDO_RESOURCE,
  CAPTURE_STATE,
  AEP_SANDBOX,
  AEP_DATAFLOW,
  AEP_PHASE,
] as const;
