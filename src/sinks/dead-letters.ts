import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { outboxTarget } from './collections';
import { readJsonFile, writeJsonAtomic } from './json-file';
import type { ResourceName } from '../resources';
import type { PendoMessage } from './messages';

/** A message the inlet refused on its own (a per-message status, or a request of that one message refused). */
export interface DeadLetter {
  /** The delivery target it came from: a collection, or a collection's outbox. */
  target: string;
  partition: string;
  resource: ResourceName;
  uniqueId: string;
  message: PendoMessage;
  error: { type: string; status?: number; message: string };
  /** ISO time of the latest refusal. */
  at: string;
}

/** Where refused messages wait until they are replayed; a file store now, a database later. */
export interface DeadLetterStore {
  /** Keeps letters; one per (target, uniqueId), a later refusal replacing an earlier one. */
  put(letters: readonly DeadLetter[]): Promise<void>;
  /** The letters of `target` and of its outbox. */
  list(target: string): Promise<DeadLetter[]>;
  /** Drops letters, for example once a replay was accepted. */
  remove(target: string, uniqueIds: readonly string[]): Promise<void>;
}

const FILE = 'dead-letters.json';

/** Dead letters on the worker's disk, one JSON file per delivery target, each rewritten atomically. */
export class FileDeadLetterStore implements DeadLetterStore {
  constructor(private readonly root: string) {}

  private path(target: string): string {
    return join(this.root, ...target.split('/'), FILE);
  }

  private async read(target: string): Promise<Record<string, DeadLetter>> {
    return (await readJsonFile<Record<string, DeadLetter>>(this.path(target))) ?? {};
  }

  private async write(target: string, letters: Record<string, DeadLetter>): Promise<void> {
    const path = this.path(target);
    if (Object.keys(letters).length === 0) {
      await rm(path, { force: true });
      return;
    }
    await writeJsonAtomic(path, letters);
  }

  async put(letters: readonly DeadLetter[]): Promise<void> {
    const byTarget = new Map<string, DeadLetter[]>();
    for (const l of letters) byTarget.set(l.target, [...(byTarget.get(l.target) ?? []), l]);
    for (const [target, list] of byTarget) {
      const kept = await this.read(target);
      for (const l of list) kept[l.uniqueId] = l;
      await this.write(target, kept);
    }
  }

  async list(target: string): Promise<DeadLetter[]> {
    const out: DeadLetter[] = [];
    for (const t of [target, outboxTarget(target)]) out.push(...Object.values(await this.read(t)));
    return out;
  }

  async remove(target: string, uniqueIds: readonly string[]): Promise<void> {
    const kept = await this.read(target);
    const before = Object.keys(kept).length;
    for (const id of uniqueIds) delete kept[id];
    if (Object.keys(kept).length !== before) await this.write(target, kept);
  }
}
