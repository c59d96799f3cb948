import { REGISTRY, RESOURCE_NAMES } from '../../../src/resources';
import { documentKey } from '../../../src/resources/keys';

describe('resource registry', () => {
  it('declares the nine resources; a change of key or cursor shows up here in review', () => {
    const summary = Object.fromEntries(
      RESOURCE_NAMES.map((n) => {
        const d = REGISTRY[n];
        return [
          n,
          {
            kind: d.kind,
            from: d.endpoint ?? d.source,
            key: d.keyFields.join(','),
            cursor: d.cursorField,
            id: d.idField,
          },
        ];
      }),
    );
    expect(summary).toMatchSnapshot();
  });

  it('never keys on firstTime or lastTime, which late events move', () => {
    for (const name of RESOURCE_NAMES) {
      expect(REGISTRY[name].keyFields).not.toContain('firstTime');
      expect(REGISTRY[name].keyFields).not.toContain('lastTime');
    }
  });

  it('gives the same key to a late version of an aggregate row', () => {
    const row = {
      hour: 1,
      pageId: 'p',
      appId: -323232,
      visitorId: 'v',
      accountId: 'a',
      remoteIp: 'ip',
      server: 's',
      userAgent: 'ua',
    };
    const late = { ...row, numEvents: 9, lastTime: 99, firstTime: 2 };
    expect(documentKey(REGISTRY.PageEvents, late)).toBe(
      documentKey(REGISTRY.PageEvents, { ...row, numEvents: 1, lastTime: 3 }),
    );
  });
});
