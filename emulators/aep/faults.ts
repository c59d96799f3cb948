/**
 * Fault injection. Grammar (whitespace ignored):
 *
 *   SPEC   := RULE ( ',' RULE )*
 *   RULE   := KIND ( ':' KEY '=' VALUE )*
 *   KIND   := <HTTP status 400-599> | latency | token-expiry | etag-race | flow-create
 *           | reject-message | reject-batch
 *
 * Options: `times=N` (how often it fires), `after=N` (let N matching events pass first),
 * `rate=P` (fire with probability 0..1), `path=TEXT` (request path contains TEXT), `method=VERB`,
 * `retry-after=S` (seconds, status rules), `ms=N` (latency), `code=N` (flow-create, a FLOW error code),
 * `match=TEXT` (reject rules: a message whose JSON contains TEXT), `status=N` (reject rules, default 400).
 *
 * A status rule answers a whole request. On `/collection/batch`, `reject-message` refuses each matching message
 * in the 207 (its own status), and `reject-batch` refuses with one status any request holding a matching
 * message. Both stand until cleared (or `times=N`): a bad message stays bad.
 *
 * Examples: `503:times=2:path=/flows`, `429:retry-after=1`, `500:rate=0.1`, `latency:ms=200`,
 * `token-expiry:after=3`, `etag-race`, `flow-create:code=1425`, `403:times=4:path=/collection/batch`,
 * `reject-message:match=visitor-7`, `reject-batch:match=visitor-7:status=400`.
 */
export type FaultKind =
  'status' | 'latency' | 'token-expiry' | 'etag-race' | 'flow-create' | 'reject-message' | 'reject-batch';

export interface FaultRule {
  kind: FaultKind;
  /** Status rules: the HTTP status to answer with. */
  status?: number;
  /** Undefined = unlimited. */
  times?: number;
  after: number;
  rate?: number;
  path?: string;
  method?: string;
  retryAfterS?: number;
  ms?: number;
  code?: number;
  /** Reject rules: text a message's JSON contains. */
  match?: string;
}

export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

const OPTIONS: Record<FaultKind, readonly string[]> = {
  status: ['times', 'after', 'rate', 'path', 'method', 'retry-after'],
  latency: ['ms', 'times', 'after', 'rate', 'path', 'method'],
  'token-expiry': ['times', 'after'],
  'etag-race': ['times', 'after', 'path'],
  'flow-create': ['code', 'times', 'after'],
  'reject-message': ['match', 'status', 'times', 'after', 'rate'],
  'reject-batch': ['match', 'status', 'times', 'after', 'rate'],
};
const REJECT_KINDS: readonly FaultKind[] = ['reject-message', 'reject-batch'];
const FLOW_CREATE_CODES = [1410, 1412, 1413, 1419, 1425];

function count(rule: string, key: string, value: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new FaultSpecError(`fault '${rule}': ${key} must be an integer >= ${min}, got '${value}'`);
  }
  return Number(value);
}

function parseRule(text: string): FaultRule {
  const [head = '', ...opts] = text.split(':').map((s) => s.trim());
  let rule: FaultRule;
  if (/^\d+$/.test(head)) {
    const status = Number(head);
    if (status < 400 || status > 599) throw new FaultSpecError(`fault '${text}': status must be 400-599`);
    rule = { kind: 'status', status, after: 0 };
  } else if (head in OPTIONS && head !== 'status') {
    rule = { kind: head as FaultKind, after: 0 };
  } else {
    throw new FaultSpecError(
      `fault '${text}': unknown kind '${head}' (expected an HTTP status, latency, token-expiry, etag-race, flow-create, reject-message or reject-batch)`,
    );
  }
  for (const opt of opts) {
    const eq = opt.indexOf('=');
    if (eq <= 0) throw new FaultSpecError(`fault '${text}': option '${opt}' must look like key=value`);
    const key = opt.slice(0, eq).trim();
    const value = opt.slice(eq + 1).trim();
    if (!OPTIONS[rule.kind].includes(key)) {
      throw new FaultSpecError(
        `fault '${text}': option '${key}' is not valid here (use ${OPTIONS[rule.kind].join(', ')})`,
      );
    }
    if (key === 'times') rule.times = count(text, key, value, 1);
    else if (key === 'after') rule.after = count(text, key, value, 0);
    else if (key === 'ms') rule.ms = count(text, key, value, 0);
    else if (key === 'retry-after') rule.retryAfterS = count(text, key, value, 0);
    else if (key === 'path') rule.path = value;
    else if (key === 'match') rule.match = value;
    else if (key === 'status') {
      rule.status = count(text, key, value, 400);
      if (rule.status > 599) throw new FaultSpecError(`fault '${text}': status must be 400-599`);
    } else if (key === 'method') rule.method = value.toUpperCase();
    else if (key === 'code') {
      rule.code = count(text, key, value, 0);
      if (!FLOW_CREATE_CODES.includes(rule.code)) {
        throw new FaultSpecError(`fault '${text}': code must be one of ${FLOW_CREATE_CODES.join(', ')}`);
      }
    } else if (key === 'rate') {
      const rate = Number(value);
      if (!/^\d*\.?\d+$/.test(value) || rate > 1) {
        throw new FaultSpecError(`fault '${text}': rate must be a number between 0 and 1, got '${value}'`);
      }
      rule.rate = rate;
    }
  }
  if (rule.kind === 'latency' && rule.ms === undefined) throw new FaultSpecError(`fault '${text}': latency needs ms=N`);
  if (rule.kind === 'flow-create') rule.code ??= 1425;
  if (REJECT_KINDS.includes(rule.kind)) {
    if (!rule.match) throw new FaultSpecError(`fault '${text}': ${rule.kind} needs match=TEXT`);
    rule.status ??= 400;
  }
  // One-shot by default, except knobs that describe a standing condition.
  const standing = rule.kind === 'latency' || rule.kind === 'flow-create' || REJECT_KINDS.includes(rule.kind);
  if (rule.times === undefined && rule.rate === undefined && !standing) {
    rule.times = 1;
  }
  return rule;
}

/** Parses a fault spec; throws `FaultSpecError` naming the offending rule. An empty spec means no faults. */
export function parseFaultSpec(spec: string): FaultRule[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseRule);
}

interface ActiveRule {
  rule: FaultRule;
  seen: number;
  fired: number;
}

/** The live fault state; counters advance only for events a rule matches. */
export class FaultEngine {
  private rules: ActiveRule[] = [];

  constructor(
    rules: FaultRule[] = [],
    private readonly random: () => number = Math.random,
  ) {
    this.add(rules);
  }

  add(rules: FaultRule[]): void {
    this.rules.push(...rules.map((rule) => ({ rule, seen: 0, fired: 0 })));
  }

  clear(): void {
    this.rules = [];
  }

  describe(): (FaultRule & { fired: number; remaining: number | null })[] {
    return this.rules.map(({ rule, fired }) => ({
      ...rule,
      fired,
      remaining: rule.times === undefined ? null : rule.times - fired,
    }));
  }

  /** Returns the first rule of `kind` that fires for this event, advancing counters. */
  fire(kind: FaultKind, event: { method?: string; path?: string; text?: string } = {}): FaultRule | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.kind !== kind) continue;
      if (rule.path && !(event.path ?? '').includes(rule.path)) continue;
      if (rule.match && !(event.text ?? '').includes(rule.match)) continue;
      if (rule.method && rule.method !== event.method) continue;
      if (rule.times !== undefined && active.fired >= rule.times) continue;
      active.seen += 1;
      if (active.seen <= rule.after) continue;
      if (rule.rate !== undefined && this.random() >= rule.rate) continue;
      active.fired += 1;
      return rule;
    }
    return undefined;
  }
}
