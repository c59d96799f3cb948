import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { AEP_NON_RETRYABLE_ERROR_TYPES, CONFIG_ERROR, DataflowErrorType } from '../common/errors';

const nonRetryableErrorTypes = [...AEP_NON_RETRYABLE_ERROR_TYPES, DataflowErrorType.NameTaken, CONFIG_ERROR];

/** One AEP side effect per call. Activities heartbeat every 2 s, so a killed worker costs one heartbeat timeout. */
export const aepActs = proxyActivities<Activities>({
  startToCloseTimeout: '2m',
  heartbeatTimeout: '10s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '20s',
    maximumAttempts: 8,
    nonRetryableErrorTypes,
  },
});

/** Polls for the inlet URL through activity retries at a fixed interval: retries are not recorded in history. */
export const inletActs = proxyActivities<Activities>({
  startToCloseTimeout: '1m',
  heartbeatTimeout: '10s',
  scheduleToCloseTimeout: '30m',
  retry: { initialInterval: '2s', backoffCoefficient: 1, nonRetryableErrorTypes },
});

/** Monitoring gives up quickly: the next tick tries again, and signals should not wait behind it. */
export const monitorActs = proxyActivities<Activities>({
  startToCloseTimeout: '1m',
  heartbeatTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 3, nonRetryableErrorTypes },
});
