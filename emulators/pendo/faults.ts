/**
 * Fault injection for /api/v1/*. Spec grammar (comma-separated, spaces ignored, "" or "none" = no faults):
 *   5xx=P | 429=P | 429-retry-after=P | reset=P | slow=P[:MS] | burst429=N
 *   | empty-page=N[:SKIP] | empty-list=N[:SKIP] | missing-key=P[:FIELD]
 * P is a probability in [0, 1]; the exclusive kinds (5xx, 429, 429-retry-after, reset) must sum to at most 1.
 * `slow` delays a response by MS (default 3000) and combines with the others; `burst429=N` answers the next N
 * requests with 429.
 * The body faults answer 200 with well-formed but wrong JSON: `empty-page` lets SKIP aggregations through, then
 * answers the next N with `"results": []`; `empty-list` does the same to metadata lists (`[]`); `missing-key` drops
 * FIELD (default `accountId`) from each row that has it, with probability P.
 */
import { Rng } from './data/random';

type Row = Record<string, unknown>;

export interface FaultSpec {
  '5xx': number;
  '429': number;
  '429-retry-after': number;
  reset: number;
  slow: { p: number; ms: number };
  burst429: number;
  'empty-page': { n: number; skip: number };
  'empty-list': { n: number; skip: number };
  'missing-key': { p: number; field: string };
}

const EXCLUSIVE = ['5xx', '429', '429-retry-after', 'reset'] as const;
type ExclusiveKind = (typeof EXCLUSIVE)[number];
const KINDS = [...EXCLUSIVE, 'slow', 'burst429', 'empty-page', 'empty-list', 'missing-key'];

export function noFaults(): FaultSpec {
  return {
    '5xx': 0,
    '429': 0,
    '429-retry-after': 0,
    reset: 0,
    slow: { p: 0, ms: 3000 },
    burst429: 0,
    'empty-page': { n: 0, skip: 0 },
    'empty-list': { n: 0, skip: 0 },
    'missing-key': { p: 0, field: 'accountId' },
  };
}

function countAndSkip(part: string, value: string): { n: number; skip: number } {
  const [n = '', skip = '0', ...extra] = value.split(':');
  if (extra.length > 0 || !/^\d+$/.test(n) || !/^\d+$/.test(skip)) {
    throw new Error(`bad fault spec part "${part}": expected N[:SKIP] with whole numbers`);
  }
  return { n: Number(n), skip: Number(skip) };
}

function probability(part: string, raw: string): number {
  const p = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(p) || p < 0 || p > 1) {
    throw new Error(`bad fault spec part "${part}": probability must be a number in [0, 1]`);
  }
  return p;
}

/** Parses a fault spec such as `5xx=0.2,429=0.1,reset=0.05,slow=0.05:3000`; errors name the bad part. */
export function parseFaultSpec(spec: string): FaultSpec {
  const out = noFaults();
  const trimmed = spec.trim();
  if (trimmed === '' || trimmed === 'none') return out;
  for (const rawPart of trimmed.split(',')) {
    const part = rawPart.replace(/\s+/g, '');
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`bad fault spec part "${rawPart.trim()}": expected KIND=VALUE`);
    const kind = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (kind === 'slow') {
      const [p = '', ms = '3000', ...extra] = value.split(':');
      const delay = Number(ms);
      if (extra.length > 0 || !/^\d+$/.test(ms) || !Number.isSafeInteger(delay)) {
        throw new Error(`bad fault spec part "${part}": expected slow=P[:MS] with MS a whole number of milliseconds`);
      }
      out.slow = { p: probability(part, p), ms: delay };
    } else if (kind === 'burst429') {
      if (!/^\d+$/.test(value)) throw new Error(`bad fault spec part "${part}": burst429 needs a whole number`);
      out.burst429 = Number(value);
    } else if (kind === 'empty-page' || kind === 'empty-list') {
      out[kind] = countAndSkip(part, value);
    } else if (kind === 'missing-key') {
      const [p = '', field = 'accountId', ...extra] = value.split(':');
      if (extra.length > 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) {
        throw new Error(`bad fault spec part "${part}": expected missing-key=P[:FIELD] with FIELD a field name`);
      }
      out[kind] = { p: probability(part, p), field };
    } else if ((EXCLUSIVE as readonly string[]).includes(kind)) {
      out[kind as ExclusiveKind] = probability(part, value);
    } else {
      throw new Error(`bad fault spec part "${part}": unknown kind "${kind}" (known: ${KINDS.join(', ')})`);
    }
  }
  const total = EXCLUSIVE.reduce((sum, k) => sum + out[k], 0);
  if (total > 1 + 1e-9) throw new Error(`bad fault spec "${spec}": ${EXCLUSIVE.join(' + ')} add up to ${total} > 1`);
  return out;
}

export type FaultKind = 'none' | ExclusiveKind;

export interface FaultDecision {
  kind: FaultKind;
  /** For 5xx: 500, 502 or 503. */
  status?: number;
  slowMs: number;
}

/** Where a body fault can apply: the aggregation's `results`, or a metadata list. */
export type BodyKind = 'aggregation' | 'list';

/** The rows of an answer that no body fault touches. */
export const SAME_ROWS = (rows: Iterable<Row>): Iterable<Row> => rows;

/** Draws one decision per API request from (seed, request number), so a run replays the same faults. */
export class FaultInjector {
  private spec: FaultSpec = noFaults();
  private burstLeft = 0;
  private requests = 0;
  private readonly body: Record<BodyKind, { skip: number; left: number }> = {
    aggregation: { skip: 0, left: 0 },
    list: { skip: 0, left: 0 },
  };

  constructor(
    private readonly seed: number,
    spec: FaultSpec,
  ) {
    this.set(spec);
  }

  set(spec: FaultSpec): void {
    this.spec = spec;
    this.burstLeft = spec.burst429;
    this.body.aggregation = { skip: spec['empty-page'].skip, left: spec['empty-page'].n };
    this.body.list = { skip: spec['empty-list'].skip, left: spec['empty-list'].n };
  }

  /** The spec, and how many empty answers are still to come. */
  current(): FaultSpec & { left: { 'empty-page': number; 'empty-list': number } } {
    return { ...this.spec, left: { 'empty-page': this.body.aggregation.left, 'empty-list': this.body.list.left } };
  }

  /** Decides, once per answered request, what the body faults do to its rows (SAME_ROWS: nothing). */
  rows(kind: BodyKind): (rows: Iterable<Row>) => Iterable<Row> {
    const state = this.body[kind];
    if (state.skip > 0) state.skip--;
    else if (state.left > 0) {
      state.left--;
      return () => [];
    }
    const { p, field } = this.spec['missing-key'];
    if (p === 0) return SAME_ROWS;
    const rng = Rng.of(this.seed, 'missing-key', this.requests);
    return function* (rows) {
      for (const row of rows) {
        if (!(field in row) || !rng.chance(p)) yield row;
        else {
          const { [field]: _dropped, ...rest } = row;
          yield rest;
        }
      }
    };
  }

  decide(): FaultDecision {
    const rng = Rng.of(this.seed, 'fault', ++this.requests);
    const slowMs = rng.chance(this.spec.slow.p) ? this.spec.slow.ms : 0;
    if (this.burstLeft > 0) {
      this.burstLeft--;
      return { kind: '429', slowMs };
    }
    let u = rng.next();
    for (const kind of EXCLUSIVE) {
      if (u < this.spec[kind]) {
        return kind === '5xx' ? { kind, status: rng.pick([500, 502, 503]), slowMs } : { kind, slowMs };
      }
      u -= this.spec[kind];
    }
    return { kind: 'none', slowMs };
  }
}
