import { randomBytes, randomInt, randomUUID } from 'node:crypto';

export const uuid = (): string => randomUUID();

export const hex = (length: number): string =>
  randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);

/** Flow Service etags carry literal double quotes, e.g. `"9c01173c-0000-0200-0000-63f32d7c0000"`. */
export const newEtag = (): string => `"${hex(8)}-0000-0200-0000-${hex(8)}0000"`;

/** Compares etags after dropping a weak `W/` prefix and surrounding quotes, as clients send both forms. */
export const normaliseEtag = (etag: string): string =>
  etag
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');

/** DCS transaction ids look like `1584479347507:2153:240`. */
export const xactionId = (nowMs: number): string => `${nowMs}:${randomInt(1000, 9999)}:${randomInt(1, 999)}`;
