/**
 * The permanent AEP failure types, mirrored from `AEP_NON_RETRYABLE_ERROR_TYPES` in src/aep/error-types.ts,
 * which workflow code may not import; a unit test keeps the two lists equal.
 */
export const AEP_PERMANENT_ERRORS: readonly string[] = [
  'AepAuthError',
  'AepConfigError',
  'AepPermissionDenied',
  'AepValidation',
  'AepNotFound',
  'AepConflict',
  'AepResourceInUse',
  'AepNotAcceptable',
  'AepPayloadTooLarge',
  'AepCancelled',
  'AepUnexpectedResponse',
];

export const DataflowErrorType = {
  /** A resource with the dataflow's name exists in AEP but was not created by this dataflow. */
  NameTaken: 'AepNameTaken',
  /** The flow has no `options.inletUrl` yet; retried at a fixed interval. */
  InletNotReady: 'AepInletNotReady',
  /** Provisioning hit a permanent error; what was created has been removed. */
  ProvisioningFailed: 'DataflowProvisioningFailed',
  /** Delete could not remove everything. */
  TeardownFailed: 'DataflowTeardownFailed',
} as const;
