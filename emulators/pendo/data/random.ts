/** Seeded, dependency-free randomness: every datum derives from a hash of (seed, labels). */
export type HashPart = number | string;

const TWO_32 = 4294967296;

function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes integers (any safe integer, negative included) and strings into 32 bits. */
export function hash32(...parts: HashPart[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    if (typeof part === 'number') {
      const hi = Math.floor(part / TWO_32);
      const lo = part - hi * TWO_32;
      h = mix32(h ^ lo);
      h = mix32(h ^ (hi >>> 0) ^ 0x85ebca6b);
    } else {
      for (let i = 0; i < part.length; i++) h = Math.imul(h ^ part.charCodeAt(i), 0x01000193);
      h = mix32(h ^ part.length ^ 0xc2b2ae35);
    }
  }
  return h;
}

/** A small deterministic generator (mulberry32). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  static of(...parts: HashPart[]): Rng {
    return new Rng(hash32(...parts));
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / TWO_32;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi] (inclusive). */
  between(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return at(items, this.int(items.length));
  }

  /** Rounds x up or down at random so that the expectation is x. */
  roundStochastic(x: number): number {
    const whole = Math.floor(x);
    return whole + (this.next() < x - whole ? 1 : 0);
  }
}

/** Indexes an array, failing loudly instead of yielding undefined. */
export function at<T>(items: readonly T[], i: number): T {
  const item = items[i];
  if (item === undefined) throw new RangeError(`index ${i} outside 0..${items.length - 1}`);
  return item;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A URL-safe base64 id like Pendo's object ids (27 characters by default). */
export function randomId(rng: Rng, length = 27): string {
  let id = '';
  for (let i = 0; i < length; i++) id += ID_ALPHABET.charAt(rng.int(64));
  return id;
}

/** A short lower-case alphanumeric id, the shape of Pendo poll ids. */
export function shortId(rng: Rng, length = 11): string {
  let id = '';
  for (let i = 0; i < length; i++) id += ID_ALPHABET.charAt(26 + rng.int(36)).toLowerCase();
  return id;
}

/** A random (v4-shaped) UUID. */
export function uuid(rng: Rng): string {
  let hex = '';
  for (let i = 0; i < 32; i++) hex += rng.int(16).toString(16);
  const variant = (rng.int(4) + 8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A keyed bijection on [0, size): a balanced Feistel network on the next even power of two, walked until it
 * lands inside the range. Maps a row index to a distinct key slot, so key tuples never collide.
 */
export class Permutation {
  private readonly halfBits: number;
  private readonly mask: number;

  constructor(
    readonly size: number,
    private readonly key: number,
  ) {
    if (!Number.isSafeInteger(size) || size < 1 || size > 2 ** 48) throw new RangeError(`bad permutation size ${size}`);
    const bits = Math.max(2, Math.ceil(Math.log2(size)));
    this.halfBits = Math.ceil(bits / 2);
    this.mask = 2 ** this.halfBits - 1;
  }

  map(i: number): number {
    let x = i;
    do x = this.feistel(x);
    while (x >= this.size);
    return x;
  }

  private feistel(x: number): number {
    const span = this.mask + 1;
    let left = Math.floor(x / span);
    let right = x % span;
    for (let round = 0; round < 4; round++) {
      const f = hash32(this.key, round, right) % span;
      const next = (left ^ f) & this.mask;
      left = right;
      right = next;
    }
    return left * span + right;
  }
}
