/**
 * pendoflow's own ceiling on one run's history, for servers that suggest continue-as-new late or never, and for
 * signals, whose payloads go into history whether they are taken or refused. It is
 * below the server's warnings (10,240 events, 10 MB) and far below its hard limits (51,200 events, 50 MB), which
 * terminate a workflow. The server's suggestion (by default at 4,096 events or 4 MB) usually comes first.
 */
export const HISTORY_BUDGET = { events: 8_000, bytes: 8 * 1024 * 1024 };

export interface HistoryInfo {
  historyLength: number;
  historySize: number;
  continueAsNewSuggested: boolean;
}

/** Whether a run should continue as new now: the server suggests it, or the history reached the budget. */
export function historyFull(info: HistoryInfo, budget = HISTORY_BUDGET): boolean {
  return info.continueAsNewSuggested || info.historyLength >= budget.events || info.historySize >= budget.bytes;
}
