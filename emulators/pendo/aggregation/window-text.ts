/**
 * The JSON text of a cached window's sorted rows, made a segment at a time as pages first reach it, so that a page
 * served again is a few slices of bytes: its cost follows the page's bytes, not its rows or the window.
 */
import type { Row } from './expressions';

/** Rows per segment: small enough that a window's first page serializes little more than itself. */
const SEGMENT_ROWS = 4096;

interface Segment {
  /** The segment's rows as JSON, joined by commas. */
  bytes: Buffer;
  /** Where each row starts in `bytes`; the entry after the last is one past a comma that is not there. */
  starts: Uint32Array;
}

export class WindowText {
  private readonly segments: (Segment | undefined)[];

  constructor(private readonly rows: readonly Row[]) {
    this.segments = new Array(Math.ceil(rows.length / SEGMENT_ROWS));
  }

  /** The rows [from, to) as comma-separated JSON, in pieces (no brackets). */
  *slice(from: number, to: number): Iterable<Buffer> {
    let first = true;
    for (let at = from; at < to;) {
      const index = Math.floor(at / SEGMENT_ROWS);
      const base = index * SEGMENT_ROWS;
      const end = Math.min(to, base + SEGMENT_ROWS);
      const seg = this.segment(index);
      if (!first) yield COMMA;
      yield seg.bytes.subarray(seg.starts[at - base], (seg.starts[end - base] as number) - 1);
      first = false;
      at = end;
    }
  }

  private segment(index: number): Segment {
    const known = this.segments[index];
    if (known) return known;
    const rows = this.rows.slice(index * SEGMENT_ROWS, (index + 1) * SEGMENT_ROWS);
    const texts = rows.map((row) => JSON.stringify(row));
    const starts = new Uint32Array(texts.length + 1);
    let at = 0;
    texts.forEach((t, i) => {
      starts[i] = at;
      at += Buffer.byteLength(t) + 1;
    });
    starts[texts.length] = at;
    const seg = { bytes: Buffer.from(texts.join(',')), starts };
    this.segments[index] = seg;
    return seg;
  }
}

const COMMA = Buffer.from(',');
const texts = new WeakMap<readonly Row[], WindowText>();

/** The text of a cached window's rows; it lives as long as the window stays cached. */
export function windowText(rows: readonly Row[]): WindowText {
  let text = texts.get(rows);
  if (!text) {
    text = new WindowText(rows);
    texts.set(rows, text);
  }
  return text;
}

/**
 * Rows [from, to) of a cached window, served as they stand: an iterable of rows for any caller, and the slice a
 * reply can send as bytes.
 */
export class RowSlice implements Iterable<Row> {
  constructor(
    readonly sorted: readonly Row[],
    readonly from: number,
    readonly to: number,
  ) {}

  *[Symbol.iterator](): Iterator<Row> {
    for (let i = this.from; i < this.to; i++) yield this.sorted[i] as Row;
  }

  text(): Iterable<Buffer> {
    return windowText(this.sorted).slice(this.from, this.to);
  }
}
