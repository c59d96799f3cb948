/**
 * Splits a streamed JSON document into the elements of one array, without holding the document in memory.
 * The array is either the root (`[...]`, Pendo's list endpoints) or the value of a top-level key
 * (`{"startTime":..,"results":[...]}`, the aggregation envelope). Each element is parsed on its own.
 */
export async function* streamJsonArray(
  chunks: AsyncIterable<Buffer | string>,
  key?: string,
): AsyncGenerator<unknown, void, undefined> {
  for await (const batch of streamJsonArrayBatches(chunks, key)) yield* batch;
}

/**
 * As streamJsonArray, but yields the elements completed by each chunk together: one step of the async
 * iteration per network chunk instead of per element, so a million-row response costs thousands of
 * promises, not millions. A batch holds at most one chunk's worth of elements.
 */
export async function* streamJsonArrayBatches(
  chunks: AsyncIterable<Buffer | string>,
  key?: string,
): AsyncGenerator<unknown[], void, undefined> {
  const OPEN_OBJ = 0x7b, CLOSE_OBJ = 0x7d, OPEN_ARR = 0x5b, CLOSE_ARR = 0x5d, QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a; // prettier-ignore
  const arrayDepth = key === undefined ? 1 : 2;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let inArray = false;
  let arrayDone = false;
  let sawArray = false;
  // Top-level key tracking (only for the envelope form).
  let keyStart = -1;
  let lastKey: Buffer[] = [];
  let lastKeyText = '';
  let expectValueFor = '';
  // The element being collected: pieces from earlier chunks, and its start in the current one.
  let pieces: Buffer[] = [];
  let elementStart = -1;
  let batch: unknown[] = [];

  for await (const raw of chunks) {
    const buf = typeof raw === 'string' ? Buffer.from(raw) : raw;
    if (elementStart === -2) elementStart = 0;
    if (keyStart === -2) keyStart = 0;
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i] as number;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (keyStart >= 0) {
            lastKey.push(buf.subarray(keyStart, i));
            lastKeyText = Buffer.concat(lastKey).toString();
            lastKey = [];
            keyStart = -1;
          }
        }
        continue;
      }
      if (c === QUOTE) {
        inString = true;
        if (inArray && depth === arrayDepth && elementStart === -1) elementStart = i;
        else if (!inArray && depth === 1 && key !== undefined && expectValueFor === '') keyStart = i + 1;
        continue;
      }
      if (c === COLON && depth === 1 && !inArray) {
        expectValueFor = lastKeyText;
        continue;
      }
      if (c === OPEN_OBJ || c === OPEN_ARR) {
        if (inArray && depth === arrayDepth && elementStart === -1) elementStart = i;
        depth++;
        if (
          !inArray &&
          !arrayDone &&
          c === OPEN_ARR &&
          depth === arrayDepth &&
          (key === undefined || expectValueFor === key)
        ) {
          inArray = true;
          sawArray = true;
        }
        continue;
      }
      if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        if (inArray && depth === arrayDepth && c === CLOSE_ARR) {
          if (elementStart !== -1) batch.push(finish(buf.subarray(elementStart, i)));
          inArray = false;
          arrayDone = true;
          depth--;
          continue;
        }
        depth--;
        if (inArray && depth === arrayDepth && elementStart !== -1) {
          batch.push(finish(buf.subarray(elementStart, i + 1)));
        }
        if (depth === 1) expectValueFor = '';
        continue;
      }
      if (c === COMMA) {
        if (inArray && depth === arrayDepth && elementStart !== -1) batch.push(finish(buf.subarray(elementStart, i)));
        else if (depth === 1 && !inArray) expectValueFor = '';
        continue;
      }
      if (inArray && depth === arrayDepth && elementStart === -1 && c > 0x20) elementStart = i;
    }
    // Carry the unfinished element (or key) over to the next chunk.
    if (elementStart >= 0) {
      pieces.push(buf.subarray(elementStart));
      elementStart = -2;
    }
    if (keyStart >= 0) {
      lastKey.push(buf.subarray(keyStart));
      keyStart = -2;
    }
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  if (depth !== 0 || inString) throw new TruncatedJsonError('the response ended in the middle of the JSON document');
  if (!sawArray)
    throw new TruncatedJsonError(key ? `the response has no "${key}" array` : 'the response is not a JSON array');

  function finish(tail: Buffer): unknown {
    const text = pieces.length ? Buffer.concat([...pieces, tail]).toString() : tail.toString();
    pieces = [];
    elementStart = -1;
    return JSON.parse(text);
  }
}

export class TruncatedJsonError extends Error {
  override name = 'TruncatedJsonError';
}
