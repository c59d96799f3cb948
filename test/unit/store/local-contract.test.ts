import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localStore } from '../../../src/store/local-store';
import { storeContract } from '../../helpers/store-contract';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pendoflow-contract-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

storeContract('local files', async () => localStore(dir));
