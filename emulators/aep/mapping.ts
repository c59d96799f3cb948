import { randomUUID } from 'node:crypto';
import { getPath, isObject, setPath, type Json } from './http';

export interface Mapping {
  sourceType: 'ATTRIBUTE' | 'EXPRESSION' | 'STATIC';
  source: string;
  destination: string;
  sourceAttribute: string;
  destinationXdmPath: string;
}

export interface MappingError {
  code: string;
  message: string;
}

/** Reads either dialect: `source/destination/sourceType` or the tutorial's `sourceAttribute/destinationXdmPath`. */
export function normaliseMapping(m: Json): Mapping | undefined {
  const source = m.source ?? m.sourceAttribute;
  const destination = m.destination ?? m.destinationXdmPath;
  if (typeof source !== 'string' || typeof destination !== 'string' || !source || !destination) return undefined;
  const raw = String(m.sourceType ?? 'ATTRIBUTE').toUpperCase();
  const sourceType = raw === 'EXPRESSION' || raw === 'STATIC' ? raw : 'ATTRIBUTE';
  return { sourceType, source, destination, sourceAttribute: source, destinationXdmPath: destination };
}

/** Applies a mapping set to one raw message, the way Data Prep does inside a streaming flow. */
export function applyMappings(mappings: Json[], input: unknown): { output: Json; errors: MappingError[] } {
  const output: Json = {};
  const errors: MappingError[] = [];
  for (const raw of mappings) {
    const m = normaliseMapping(raw);
    if (!m) continue;
    try {
      const value =
        m.sourceType === 'STATIC'
          ? m.source
          : m.sourceType === 'EXPRESSION'
            ? evaluate(m.source, input)
            : getPath(input, m.source);
      if (value !== undefined && value !== null) setPath(output, m.destination, value);
    } catch (err) {
      errors.push({ code: 'MAPPER-3700-400', message: `Mapper Transform Error: ${(err as Error).message}` });
    }
  }
  return { output, errors };
}

/**
 * Pendo's mandatory mapping: a record whose `uniqueId` did not reach the output fails validation
 * with the message Adobe shows in flow runs.
 */
export function validatePendoRecord(mappings: Json[], input: unknown): MappingError[] {
  const m = mappings
    .map(normaliseMapping)
    .find((x) => x?.sourceType === 'ATTRIBUTE' && x.source.toLowerCase() === 'uniqueid');
  const value = m ? getPath(input, m.source) : undefined;
  if (typeof value === 'string' ? value.length > 0 : value !== undefined && value !== null) return [];
  return [
    {
      code: 'MAPPER-3700-400',
      message: "The message can't be validated because of a schema violation: uniqueID: expected minLength:1, actual 0",
    },
  ];
}

const FUNCTIONS: Record<string, (args: unknown[]) => unknown> = {
  concat: (a) => a.map((x) => (x === undefined || x === null ? '' : String(x))).join(''),
  lower: ([x]) => (x === undefined ? x : String(x).toLowerCase()),
  upper: ([x]) => (x === undefined ? x : String(x).toUpperCase()),
  trim: ([x]) => (x === undefined ? x : String(x).trim()),
  coalesce: (a) => a.find((x) => x !== undefined && x !== null && x !== ''),
  to_string: ([x]) => (x === undefined ? x : typeof x === 'object' ? JSON.stringify(x) : String(x)),
  now: () => new Date().toISOString(),
  uuid: () => randomUUID(),
  guid: () => randomUUID(),
};

/** A small subset of Data Prep expressions: literals, attribute paths and the functions above. */
export function evaluate(expr: string, input: unknown): unknown {
  let pos = 0;
  const src = expr.trim();
  const skip = () => {
    while (src[pos] === ' ') pos += 1;
  };
  const parse = (): unknown => {
    skip();
    const ch = src[pos];
    if (ch === '"' || ch === "'") {
      const end = src.indexOf(ch, pos + 1);
      if (end < 0) throw new Error(`unterminated string in '${expr}'`);
      const s = src.slice(pos + 1, end);
      pos = end + 1;
      return s;
    }
    const m = /^[\w.$[\]-]+/.exec(src.slice(pos));
    if (!m) throw new Error(`cannot parse '${expr}' at ${pos}`);
    pos += m[0].length;
    skip();
    if (src[pos] !== '(') return /^-?\d+(\.\d+)?$/.test(m[0]) ? Number(m[0]) : getPath(input, m[0]);
    const fn = FUNCTIONS[m[0].toLowerCase()];
    if (!fn) throw new Error(`function '${m[0]}' is not supported by the emulator`);
    pos += 1;
    const args: unknown[] = [];
    skip();
    while (src[pos] !== ')') {
      args.push(parse());
      skip();
      if (src[pos] === ',') pos += 1;
      else if (src[pos] !== ')') throw new Error(`expected ',' or ')' in '${expr}'`);
    }
    pos += 1;
    return fn(args);
  };
  const value = parse();
  skip();
  if (pos !== src.length) throw new Error(`unexpected text after position ${pos} in '${expr}'`);
  return isObject(value) ? structuredClone(value) : value;
}
