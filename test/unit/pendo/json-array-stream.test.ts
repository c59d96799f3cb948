import { streamJsonArray } from '../../../src/pendo/json-array-stream';

async function collect(text: string, key?: string, chunkSize = 7): Promise<unknown[]> {
  const chunks = function* () {
    const buf = Buffer.from(text);
    for (let i = 0; i < buf.length; i += chunkSize) yield buf.subarray(i, i + chunkSize);
  };
  async function* asAsync() {
    yield* chunks();
  }
  const out: unknown[] = [];
  for await (const item of streamJsonArray(asAsync(), key)) out.push(item);
  return out;
}

describe('streamJsonArray', () => {
  const rows = [
    { a: 1, s: 'has , and ] and } and "quotes" and \\ backslash' },
    { nested: { x: [1, 2, { y: '[' }] } },
    { unicode: 'héllo ✓' },
  ];
  const envelope = JSON.stringify({ startTime: 1724716800000, results: rows, trailer: { results: [9] } });

  it.each([1, 3, 7, 64, 100_000])('yields every element of the results array with chunks of %i bytes', async (size) => {
    expect(await collect(envelope, 'results', size)).toEqual(rows);
  });

  it('reads a bare root array, as the list endpoints send', async () => {
    expect(await collect(JSON.stringify(rows))).toEqual(rows);
  });

  it('finds results after other keys, whatever their values hold', async () => {
    const text = '{"name":"results","startTime":1,"x":{"results":[0]},"results":[{"k":1}, 2 ,"s"]}';
    expect(await collect(text, 'results')).toEqual([{ k: 1 }, 2, 's']);
  });

  it('accepts an empty array and pretty-printed JSON', async () => {
    expect(await collect('{ "results" : [ ] }', 'results')).toEqual([]);
    expect(await collect(JSON.stringify({ results: rows }, null, 2), 'results', 5)).toEqual(rows);
  });

  it('fails on a body cut off mid-document instead of returning part of it silently', async () => {
    const cut = envelope.slice(0, envelope.length - 20);
    await expect(collect(cut, 'results')).rejects.toThrow(/ended in the middle/);
  });

  it('fails when the envelope has no results array', async () => {
    await expect(collect('{"startTime":1}', 'results')).rejects.toThrow(/no "results" array/);
  });
});
