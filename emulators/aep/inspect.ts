import type { Emulator } from './context';
import { FaultSpecError, parseFaultSpec } from './faults';
import { EmuError, isObject, ok, type EmuRequest, type EmuResponse, type Json } from './http';
import type { SandboxState } from './store';

/** Resource types the inspection API lists, named as on the wire. */
export const RESOURCE_TYPES = [
  'classes',
  'fieldgroups',
  'schemas',
  'dataSets',
  'mappingSets',
  'connections',
  'sourceConnections',
  'targetConnections',
  'flows',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export interface InspectedResource {
  sandbox: string;
  type: ResourceType;
  id: string;
  name?: string;
  doc: Json;
}

const bad = (message: string) => new EmuError(400, { error: message });

function resourcesOf(sb: SandboxState, type: ResourceType): InspectedResource[] {
  const base = { sandbox: sb.name, type };
  if (type === 'classes' || type === 'fieldgroups' || type === 'schemas') {
    return [...sb.xdm.values()]
      .filter((r) => r.kind === type)
      .map((r) => ({ ...base, id: String(r.doc.$id), name: String(r.doc.title), doc: r.doc }));
  }
  if (type === 'dataSets') {
    return [...sb.dataSets.entries()].map(([id, doc]) => ({ ...base, id, name: String(doc.name), doc }));
  }
  if (type === 'mappingSets') {
    return [...sb.mappingSets.values()].map((e) => {
      const doc = e.versions.at(-1) as Json;
      return { ...base, id: e.id, name: typeof doc.name === 'string' ? doc.name : undefined, doc };
    });
  }
  return [...sb.fs[type].values()].map((e) => ({
    ...base,
    id: String(e.doc.id),
    name: String(e.doc.name),
    doc: e.doc,
  }));
}

/**
 * `/_emulator/...`, for tests and demos (never faulted):
 * GET resources[/{type}]?name=&sandbox=, GET counts?sandbox=, GET records?flowId=, GET flows/{id}/records,
 * GET requests?path=&method=, GET stats, POST reset, GET|POST|PUT|DELETE faults, POST tokens/expire.
 */
export function handleInspect(req: EmuRequest, emu: Emulator, rest: string[]): EmuResponse {
  const { store } = emu;
  const q = req.query;
  const sandboxes = [...store.sandboxes.values()].filter((sb) => !q.get('sandbox') || sb.name === q.get('sandbox'));
  const [head, id, sub] = rest;
  const route = `${req.method} ${head ?? ''}${sub ? `/*/${sub}` : ''}`;
  switch (route) {
    case 'GET ':
      return ok({
        endpoints: [
          'GET resources[/{type}]?name=&sandbox=',
          'GET counts?sandbox=',
          'GET records?flowId=&sandbox=',
          'GET flows/{flowId}/records',
          'GET requests?path=&method=',
          'GET stats',
          'POST reset',
          'GET|POST|PUT|DELETE faults',
          'POST tokens/expire',
        ],
        resourceTypes: RESOURCE_TYPES,
      });
    case 'GET resources': {
      const type = (id ?? q.get('type') ?? undefined) as ResourceType | undefined;
      if (type && !RESOURCE_TYPES.includes(type))
        throw bad(`unknown type '${type}' (use ${RESOURCE_TYPES.join(', ')})`);
      const name = q.get('name');
      const items = sandboxes
        .flatMap((sb) => (type ? [type] : RESOURCE_TYPES).flatMap((t) => resourcesOf(sb, t)))
        .filter((r) => name === null || r.name === name);
      return ok({ items });
    }
    case 'GET counts':
      return ok(
        Object.fromEntries(
          RESOURCE_TYPES.map((t) => [t, sandboxes.reduce((n, sb) => n + resourcesOf(sb, t).length, 0)]),
        ),
      );
    case 'GET records':
    case 'GET flows/*/records': {
      const flowId = sub ? id : q.get('flowId');
      const items = sandboxes.flatMap((sb) =>
        [...sb.records.entries()].filter(([f]) => !flowId || f === flowId).flatMap(([, records]) => records),
      );
      return ok({ items });
    }
    case 'GET requests': {
      const path = q.get('path');
      const method = q.get('method')?.toUpperCase();
      return ok({
        items: store.log.filter((e) => (!path || e.path.includes(path)) && (!method || e.method === method)),
      });
    }
    case 'GET stats':
      return ok({
        tokensIssued: store.tokensIssued,
        requests: store.log.length,
        sandboxes: [...store.sandboxes.keys()],
      });
    case 'POST reset':
      store.reset();
      emu.faults.clear();
      return ok({ reset: true });
    case 'POST tokens':
      if (id !== 'expire') break;
      store.expireAllTokens();
      return ok({ expired: store.tokens.size });
    case 'GET faults':
      return ok({ faults: emu.faults.describe() });
    case 'DELETE faults':
      emu.faults.clear();
      return ok({ faults: [] });
    case 'POST faults':
    case 'PUT faults': {
      const text = req.body.toString('utf8').trim();
      let spec = text;
      if (text.startsWith('{')) {
        const parsed = JSON.parse(text) as unknown;
        spec = isObject(parsed) && typeof parsed.spec === 'string' ? parsed.spec : '';
      }
      try {
        const rules = parseFaultSpec(spec);
        if (req.method === 'PUT') emu.faults.clear();
        emu.faults.add(rules);
      } catch (err) {
        if (err instanceof FaultSpecError) throw bad(err.message);
        throw err;
      }
      return ok({ faults: emu.faults.describe() });
    }
  }
  throw new EmuError(404, { error: `unknown inspection endpoint ${req.method} ${req.path}` });
}
