/** Compiles filter strings into row predicates. */
import { parseExpression } from './filter-parser';
import { evaluate, truthy, type EvalEnv, type Row } from './expressions';

export type RowPredicate = (row: Row) => boolean;

/** Parses once and returns a predicate; throws the 400 `Cannot parse filter expression` error on bad input. */
export function compileFilter(src: string, env: EvalEnv): RowPredicate {
  const expr = parseExpression(src);
  return (row) => truthy(evaluate(expr, row, env));
}
