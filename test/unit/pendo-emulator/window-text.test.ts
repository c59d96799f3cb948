import { RowSlice, WindowText } from '../../../emulators/pendo/aggregation/window-text';
import { sendReply } from '../../../emulators/pendo/http';
import { PassThrough } from 'node:stream';
import type { ServerResponse } from 'node:http';

const rows = Array.from({ length: 10_000 }, (_, i) => ({ i, name: `row ${i} é`, tags: [i % 3, 'x'] }));
const text = (pieces: Iterable<Buffer>) => Buffer.concat([...pieces]).toString('utf8');

describe('a cached window served as stored bytes', () => {
  it.each([
    [0, 10_000],
    [0, 1],
    [4095, 4097],
    [1, 8193],
    [9_999, 10_000],
    [5, 5],
  ])('issue 13: rows [%i, %i) read as the JSON array of those rows', (from, to) => {
    const stored = new WindowText(rows);
    expect(`[${text(stored.slice(from, to))}]`).toBe(JSON.stringify(rows.slice(from, to)));
    // A second read of the same rows comes from the segments made by the first, and is the same.
    expect(`[${text(stored.slice(from, to))}]`).toBe(JSON.stringify(rows.slice(from, to)));
  });

  it('issue 13: a slice iterates the same rows it sends as text', () => {
    const slice = new RowSlice(rows, 100, 5_000);
    expect([...slice]).toEqual(rows.slice(100, 5_000));
    expect(JSON.parse(`[${text(slice.text())}]`)).toEqual(rows.slice(100, 5_000));
  });

  it('issue 13: a reply mixing text and bytes arrives whole and in order', async () => {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    const res = Object.assign(sink, { writeHead: () => res, destroyed: false }) as unknown as ServerResponse;
    const slice = new RowSlice(rows, 0, 9_000);
    await sendReply(res, {
      status: 200,
      contentType: 'application/json',
      body: ['{"results":[', ...slice.text(), ']}'],
    });
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8'))).toEqual({ results: rows.slice(0, 9_000) });
  });
});
