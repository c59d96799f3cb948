import { dirname } from 'node:path';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

type History = proto.temporal.api.history.v1.IHistory;
interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): History | null;
}

// The SDK's historyToJSON/historyFromJSON throw "type must be a Type" here: npm installed separate copies of
// protobufjs for @temporalio/common and @temporalio/proto, so the type from one fails the other's instanceof.
// Using the copy @temporalio/proto's root was built with gives the same proto3 JSON those functions write.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const protojson = require(
  require.resolve('protobufjs/ext/protojson', { paths: [dirname(require.resolve('@temporalio/proto/package.json'))] }),
) as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType(
  'temporal.api.history.v1.History',
);

/** Stack traces name files by the recording machine's absolute paths; fixtures keep them relative to the project. */
const MACHINE_PATH = /\/[^\s()"]*?\/(?=(?:node_modules|src|test|emulators|scripts|bench)\/)/g;

/** A history as proto3 JSON, the format `temporal workflow show --output json` writes. */
export function historyToJson(history: History): string {
  const message = proto.temporal.api.history.v1.History.fromObject(history);
  const relative = (key: string, value: unknown) =>
    key === 'stackTrace' && typeof value === 'string' ? value.replace(MACHINE_PATH, '') : value;
  return `${JSON.stringify(protojson.toJson(historyType, message), relative, 2)}\n`;
}

/** The history in a proto3 JSON file's text; throws naming `where` when it is not one. */
export function historyFromJson(text: string, where: string): History {
  const parsed = JSON.parse(text) as { events?: unknown };
  if (!Array.isArray(parsed.events)) throw new Error(`${where}: not a history (no "events" array)`);
  const history = protojson.fromJson(historyType, parsed, { ignoreUnknownFields: true });
  if (!history) throw new Error(`${where}: not a history`);
  return history;
}
