import { join } from 'node:path';
import { LocalCollections } from './collections';
import type { Store } from './contract';
import { FileDeadLetterStore } from './dead-letters';
import { FileDeliveryLedger } from './delivery-ledger';

/** The embedded default: everything under one data folder on this machine (or on one shared volume). */
export function localStore(dataDir: string): Store {
  const deadLetters = new FileDeadLetterStore(join(dataDir, 'dead-letters'));
  const collections = new LocalCollections(join(dataDir, 'collections'));
  return {
    kind: 'files',
    where: collections.root,
    collections,
    ledger: new FileDeliveryLedger(join(dataDir, 'deliveries'), deadLetters),
    deadLetters,
    close: async () => undefined,
  };
}
