import { startPendoEmulator, type RunningPendoEmulator } from '../../../emulators/pendo';
import { checkKey } from '../../../src/client/commands/capture-validate';
import type { CaptureSpec } from '../../../src/shared/capture-types';

let emulator: RunningPendoEmulator;
beforeAll(async () => (emulator = await startPendoEmulator({ seed: 2 })));
afterAll(async () => emulator?.close());

const spec = (accessToken: string, baseUrl: string): CaptureSpec => ({
  name: 'v',
  endpoint: { accessToken, baseUrl },
  settings: {} as CaptureSpec['settings'],
  bindings: [],
});

describe('capture validate: the live key check', () => {
  it('reports the region of a good key and never shows an inline key', async () => {
    const r = await checkKey(spec(emulator.keys.eu, `${emulator.url}/eu`));
    expect(r).toMatchObject({ ok: true, region: 'eu' });
    expect(r.message).toContain('is valid for region eu');
    expect(r.message).not.toContain(emulator.keys.eu);
  });

  it('says what to do about a wrong key', async () => {
    const r = await checkKey(spec('00000000-0000-0000-0000-000000000000.us', emulator.url));
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/rejected the integration key .*Integration Keys/);
  });

  it('says what to do about a key of another region', async () => {
    const r = await checkKey(spec(emulator.keys.eu, `${emulator.url}/us`));
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/another region/);
    expect(r.message).toMatch(/suffix suggests region eu/);
  });

  it('names a secret reference that cannot be resolved', async () => {
    const r = await checkKey(spec('env:PENDOFLOW_TEST_UNSET_VARIABLE', emulator.url));
    expect(r).toMatchObject({
      ok: false,
      message:
        "environment variable PENDOFLOW_TEST_UNSET_VARIABLE (from 'env:PENDOFLOW_TEST_UNSET_VARIABLE') is not set",
    });
  });
});
