import { flowError } from './errors';
import { getPath, type EmuRequest, type Json } from './http';

const FILTER = /^([\w.]+)(\[\])?(==|!=|>=|<=|>|<)(.*)$/;

const compare = (a: unknown, b: string): number => {
  const n = Number(b);
  if (typeof a === 'number' && b.trim() !== '' && !Number.isNaN(n)) return a - n;
  return String(a ?? '').localeCompare(b);
};

/**
 * One `property=` filter: `field==a,b` (comma = OR), `!=`, `>`/`<`/`>=`/`<=` on numbers,
 * `field[]==v` for array membership.
 */
export function matchesProperty(doc: Json, expr: string): boolean {
  const m = FILTER.exec(expr);
  if (!m) {
    const op = /[!<>=~]+/.exec(expr)?.[0];
    if (op && !['==', '!=', '>=', '<=', '>', '<'].includes(op)) {
      throw flowError(1450, 400, `Invalid operator ${op} in filter params.`);
    }
    throw flowError(1453, 400, `Invalid query value ${expr} provided in query param.`);
  }
  const [, field = '', arr, op = '', raw = ''] = m;
  if (raw === '') throw flowError(1453, 400, `Invalid query value ${expr} provided in query param.`);
  const values = raw.split(',');
  if (values.length > 1 && op !== '==' && op !== '!=') {
    throw flowError(1443, 400, `Operator '${op}' is not allowed for multiple values.`);
  }
  const actual = getPath(doc, field);
  const candidates: unknown[] = arr ? (Array.isArray(actual) ? actual : []) : [actual];
  const test = (v: unknown): boolean => {
    switch (op) {
      case '==':
        return values.some((w) => compare(v, w) === 0);
      case '!=':
        return values.every((w) => compare(v, w) !== 0);
      case '>':
        return v !== undefined && compare(v, raw) > 0;
      case '<':
        return v !== undefined && compare(v, raw) < 0;
      case '>=':
        return v !== undefined && compare(v, raw) >= 0;
      default:
        return v !== undefined && compare(v, raw) <= 0;
    }
  };
  return op === '!=' && arr ? candidates.every(test) : candidates.some(test);
}

/** Flow Service list semantics: property filters, orderby, count, limit + continuationToken. */
export function listItems(req: EmuRequest, docs: Json[]): Json {
  const q = req.query;
  const known = ['property', 'orderby', 'limit', 'count', 'continuationToken', 'start'];
  const unknown = [...q.keys()].find((k) => !known.includes(k));
  if (unknown) throw flowError(1451, 400, `Invalid params ${unknown} provided in query params.`);
  if (q.has('limit') && q.get('count') === 'true') {
    throw flowError(
      1401,
      400,
      'The limit and count parameters cannot be given together in the same request. Please provide either only the limit or the count parameter and try again.',
    );
  }
  let items = docs.filter((d) => q.getAll('property').every((p) => matchesProperty(d, p)));
  if (q.get('count') === 'true') return { count: items.length };
  // A literal '+' arrives as a space once the query is decoded.
  const orderby = (q.get('orderby') ?? '').trim();
  if (orderby) {
    const m = /^([+-]?)([\w.]+)$/.exec(orderby);
    if (!m)
      throw flowError(1433, 400, `Incorrect field= ${orderby} passed in orderBy, example are +name, -name, name.`);
    const dir = m[1] === '-' ? -1 : 1;
    const key = m[2] ?? '';
    items = [...items].sort((a, b) => {
      const x = getPath(a, key);
      const y = getPath(b, key);
      return (
        dir * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? '')))
      );
    });
  }
  const limit = Math.max(1, Math.min(Number(q.get('limit') ?? 100) || 100, 1000));
  const token = q.get('continuationToken');
  const offset = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) || 0 : 0;
  const page = items.slice(offset, offset + limit);
  // Adobe's list responses always carry `_links`, empty on the last page; clients index it unguarded.
  const result: Json = { items: page, _links: {} };
  if (offset + limit < items.length) {
    const next = new URLSearchParams(q);
    next.set('continuationToken', Buffer.from(String(offset + limit)).toString('base64url'));
    const resource = req.path.split('/').pop() ?? '';
    result._links = { next: { href: `/${resource}?${next.toString()}` } };
  }
  return result;
}
