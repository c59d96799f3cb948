import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REGISTRY, RESOURCE_KINDS, RESOURCE_NAMES } from '../../../src/resources';
import { toMessage } from '../../../src/sinks/messages';

const SRC = join(__dirname, '../../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const quoted = (text: string) => new RegExp(`['"\`]${text.replace(/[/.]/g, '\\$&')}['"\`]`);

describe('issue 10: one resource registry', () => {
  it('holds everything per resource in one workflow-safe entry, from which names and kinds derive', () => {
    expect(Object.keys(REGISTRY)).toEqual([...RESOURCE_NAMES]);
    for (const name of RESOURCE_NAMES) {
      const entry = REGISTRY[name];
      expect(entry.name).toBe(name);
      expect(RESOURCE_KINDS[name]).toBe(entry.kind);
      expect(typeof entry.eventType).toBe('string');
      expect(entry.keyFields).toContain(entry.idField);
      if (entry.kind === 'snapshot') {
        expect(entry.endpoint).toMatch(/^\/api\/v1\//);
      } else {
        expect(typeof entry.source).toBe('string');
        expect(entry.keyFields[0]).toBe(entry.cursorField);
      }
    }
  });

  it("gives each message the event type of its resource's entry", () => {
    for (const name of RESOURCE_NAMES) {
      const doc = { id: 'x', lastUpdatedAt: 1, hour: 0, browserTime: 1, _meta: { op: 'c', hash: 'h' } };
      expect(toMessage(name, doc).eventType).toBe(REGISTRY[name].eventType);
      expect(toMessage(name, { ...doc, _meta: { op: 'd' } }).eventType).toBe(`${REGISTRY[name].eventType}Deleted`);
    }
  });

  it('keeps the event types the sink sent before they moved into the registry', () => {
    const eventTypes = Object.fromEntries(RESOURCE_NAMES.map((name) => [name, REGISTRY[name].eventType]));
    expect(eventTypes).toEqual({
      Feature: 'feature',
      Guide: 'guide',
      Page: 'page',
      Report: 'report',
      PageEvents: 'pageEvent',
      FeatureEvents: 'featureEvent',
      TrackEvents: 'trackEvent',
      GuideEvents: 'guideEvent',
      PollEvents: 'pollEvent',
    });
  });

  it('keeps no per-resource table outside src/resources', () => {
    const copies: string[] = [];
    for (const file of sourceFiles(SRC).filter((path) => !relative(SRC, path).startsWith('resources'))) {
      const text = readFileSync(file, 'utf8');
      for (const name of RESOURCE_NAMES) {
        const entry = REGISTRY[name] ?? {};
        const facts = [entry.eventType, entry.source, entry.endpoint].filter((fact) => fact !== undefined);
        if (new RegExp(`^\\s*${name}\\??:`, 'm').test(text)) copies.push(`${relative(SRC, file)}: key ${name}`);
        for (const fact of facts) if (quoted(fact).test(text)) copies.push(`${relative(SRC, file)}: '${fact}'`);
      }
    }
    expect(copies).toEqual([]);
  });
});
