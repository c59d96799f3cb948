import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CAPTURE_NAME = defineSearchAttributeKey('PendoCapture', SearchAttributeType.KEYWORD);
export const PENDO_RESOURCE = defineSearchAttributeKey('PendoResource', SearchAttributeType.KEYWORD);
export const CAPTURE_STATE = defineSearchAttributeKey('PendoflowState', SearchAttributeType.KEYWORD);

/** Registered at worker start-up when missing, and passed to the dev server in tests and the demo. */
export const SEARCH_ATTRIBUTES = [CAPTURE_NAME, PENDO_RESOURCE, CAPTURE_STATE] as const;
