/**
 * Parser for Pendo's C-like filter and time expressions: numbers, dotted paths, strings in "..." (with \" and \\
 * escapes) or backticks, function calls, `! - * / % + - < <= > >= == != && ||` and parentheses.
 */
import { filterError } from './errors';

export type Literal = string | number | boolean | null;
export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export type Expr =
  | { kind: 'lit'; value: Literal }
  | { kind: 'path'; path: string[] }
  | { kind: 'unary'; op: '!' | '-'; arg: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'call'; name: string; args: Expr[] };

/** Known functions with their [min, max] argument counts. */
export const FUNCTIONS: Readonly<Record<string, readonly [number, number]>> = {
  contains: [2, 2],
  startsWith: [2, 2],
  endsWith: [2, 2],
  isNull: [1, 1],
  now: [0, 0],
  date: [3, 6],
  dateAdd: [3, 3],
  eventSubType: [1, 1],
};

type Token =
  | { t: 'num'; v: number; at: number }
  | { t: 'str'; v: string; at: number }
  | { t: 'id'; v: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'end'; at: number };

const TWO_CHAR_OPS = ['==', '!=', '<=', '>=', '&&', '||'];
const ONE_CHAR_OPS = '<>!+-*/%(),';
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
const NUMBER = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/;

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const num = NUMBER.exec(rest);
    const id = num ? null : IDENT.exec(rest);
    if (num) {
      tokens.push({ t: 'num', v: Number(num[0]), at: i });
      i += num[0].length;
    } else if (id) {
      tokens.push({ t: 'id', v: id[0], at: i });
      i += id[0].length;
    } else if (c === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= src.length) throw filterError(`unterminated string at ${i}`);
        const ch = src.charAt(j);
        if (ch === '"') break;
        if (ch === '\\') {
          const esc = src.charAt(j + 1);
          if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(j + 2, j + 6))) {
            value += String.fromCharCode(parseInt(src.slice(j + 2, j + 6), 16));
            j += 6;
            continue;
          }
          const mapped = ESCAPES[esc];
          if (mapped === undefined) throw filterError(`bad escape \\${esc} at ${j}`);
          value += mapped;
          j += 2;
          continue;
        }
        value += ch;
        j++;
      }
      tokens.push({ t: 'str', v: value, at: i });
      i = j + 1;
    } else if (c === '`') {
      const close = src.indexOf('`', i + 1);
      if (close < 0) throw filterError(`unterminated string at ${i}`);
      tokens.push({ t: 'str', v: src.slice(i + 1, close), at: i });
      i = close + 1;
    } else if (TWO_CHAR_OPS.includes(rest.slice(0, 2))) {
      tokens.push({ t: 'op', v: rest.slice(0, 2), at: i });
      i += 2;
    } else if (ONE_CHAR_OPS.includes(c)) {
      tokens.push({ t: 'op', v: c, at: i });
      i++;
    } else {
      throw filterError(`unexpected character ${JSON.stringify(c)} at ${i}`);
    }
  }
  tokens.push({ t: 'end', at: src.length });
  return tokens;
}

const LEVELS: readonly (readonly BinaryOp[])[] = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos] ?? { t: 'end', at: -1 };
  }

  private isOp(v: string): boolean {
    const tok = this.peek();
    return tok.t === 'op' && tok.v === v;
  }

  private expectOp(v: string): void {
    if (!this.isOp(v)) throw filterError(`expected '${v}' at ${this.peek().at}`);
    this.pos++;
  }

  parseAll(): Expr {
    const expr = this.binary(0);
    const tok = this.peek();
    if (tok.t !== 'end') throw filterError(`unexpected token at ${tok.at}`);
    return expr;
  }

  private binary(level: number): Expr {
    const ops = LEVELS[level];
    if (!ops) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const tok = this.peek();
      const op = tok.t === 'op' ? ops.find((o) => o === tok.v) : undefined;
      if (!op) return left;
      this.pos++;
      left = { kind: 'binary', op, left, right: this.binary(level + 1) };
    }
  }

  private unary(): Expr {
    if (this.isOp('!') || this.isOp('-')) {
      const op = this.isOp('!') ? '!' : '-';
      this.pos++;
      return { kind: 'unary', op, arg: this.unary() };
    }
    return this.primary();
  }

  private primary(): Expr {
    const tok = this.peek();
    this.pos++;
    switch (tok.t) {
      case 'num':
      case 'str':
        return { kind: 'lit', value: tok.v };
      case 'op':
        if (tok.v !== '(') break;
        {
          const inner = this.binary(0);
          this.expectOp(')');
          return inner;
        }
      case 'id':
        if (tok.v === 'true' || tok.v === 'false') return { kind: 'lit', value: tok.v === 'true' };
        if (tok.v === 'null') return { kind: 'lit', value: null };
        if (this.isOp('(')) return this.call(tok.v, tok.at);
        return { kind: 'path', path: tok.v.split('.') };
      case 'end':
        throw filterError('unexpected end of expression');
    }
    throw filterError(`unexpected token at ${tok.at}`);
  }

  private call(name: string, at: number): Expr {
    const arity = FUNCTIONS[name];
    if (!arity) throw filterError(`unknown function ${name} at ${at}`);
    this.expectOp('(');
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      args.push(this.binary(0));
      while (this.isOp(',')) {
        this.pos++;
        args.push(this.binary(0));
      }
    }
    this.expectOp(')');
    if (args.length < arity[0] || args.length > arity[1]) throw filterError(`wrong number of arguments to ${name}`);
    return { kind: 'call', name, args };
  }
}

/** Parses an expression; throws an AggregationError (400 `Cannot parse filter expression`) on bad input. */
export function parseExpression(src: string): Expr {
  if (typeof src !== 'string' || src.trim() === '') throw filterError('empty expression');
  return new Parser(tokenize(src)).parseAll();
}
