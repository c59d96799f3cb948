import { startPendoEmulator, type RunningPendoEmulator } from '../../../emulators/pendo';
import { checkKey } from '../../../src/client/commands/capture/validate';
import { DEFAULT_TRUST } from '../../../src/config/trust';
import type { CaptureSpec } from '../../../src/workflows/capture/types';

let emulator: RunningPendoEmulator;
beforeAll(async () => (emulator = await startPendoEmulator({ seed: 2 })));
afterAll(async () => emulator?.close());

/** The emulator listens on loopback, which a worker (and so validate) refuses unless it is listed. */
const trust = { ...DEFAULT_TRUST, allowedHosts: ['127.0.0.1'] };

const spec = (accessToken: string, baseUrl: string): CaptureSpec => ({
  name: 'v',
  endpoint: { accessToken, baseUrl },
  settings: {} as CaptureSpec['settings'],
  bindings: [],
});

describe('capture validate: the live key check', () => {
  it('reports the region of a good key and never shows an inline key', async () => {
    const r = await checkKey(spec(emulator.keys.eu, `${emulator.url}/eu`), trust);
    expect(r).toMatchObject({ ok: true, region: 'eu' });
    expect(r.message).toContain('is valid for region eu');
    expect(r.message).not.toContain(emulator.keys.eu);
  });

  it('says what to do about a wrong key', async () => {
    const r = await checkKey(spec('00000000-0000-0000-0000-000000000000.us', emulator.url), trust);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/rejected the integration key .*Integration Keys/);
  });

  it('says what to do about a key of another region', async () => {
    const r = await checkKey(spec(emulator.keys.eu, `${emulator.url}/us`), trust);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/another region/);
    expect(r.message).toMatch(/suffix suggests region eu/);
  });

  it('names a secret reference that cannot be resolved', async () => {
    const r = await checkKey(spec('env:PENDO_TEST_UNSET_VARIABLE', emulator.url), trust);
    expect(r).toMatchObject({
      ok: false,
      message: "environment variable PENDO_TEST_UNSET_VARIABLE (from 'env:PENDO_TEST_UNSET_VARIABLE') is not set",
    });
  });
});
