import type { SnapshotList } from '../../src/pendo/client';
import type { Row } from '../../src/resources';

/**
 * A Pendo list for `captureSnapshot` without HTTP: each read streams what `rows()` returns. With `digest`, a read
 * comes with that digest, as a list short enough to be held whole; without, as a long one, which is always parsed.
 */
export function listSource(
  rows: () => Iterable<Row> | AsyncIterable<Row>,
  digest?: () => string,
): { readSnapshotList(): Promise<SnapshotList>; parsed: number } {
  const source = {
    parsed: 0,
    async readSnapshotList(): Promise<SnapshotList> {
      const items = rows();
      async function* stream(): AsyncGenerator<Row> {
        source.parsed++;
        yield* items;
      }
      return { ...(digest ? { digest: digest() } : {}), rows: stream(), close: () => undefined };
    },
  };
  return source;
}
