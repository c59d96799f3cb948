/** A request the aggregation engine refuses, with the status and body the emulator answers with. */
export class AggregationError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly detail?: string,
  ) {
    super(detail ? `${body}: ${detail}` : body);
    this.name = 'AggregationError';
  }
}

/** The exact 400 body Pendo sends for a filter it cannot parse. */
export const FILTER_PARSE_ERROR = 'Cannot parse filter expression';

export function filterError(detail: string): AggregationError {
  return new AggregationError(400, FILTER_PARSE_ERROR, detail);
}

export function pipelineError(detail: string): AggregationError {
  return new AggregationError(400, `Cannot parse pipeline: ${detail}`);
}
