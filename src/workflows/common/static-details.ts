import type { BindingSpec, CaptureSettings, CaptureSpec, SinkSpec } from '../capture/types';
import type { DataflowSpec } from '../dataflow/types';
import { shortDuration } from '../capture/lag-text';
import type { PipelineSpec } from '../pipeline/types';

// The Temporal UI's "Details" of each workflow, set once at start (`staticDetails`). They name what the
// workflow does and how to operate it, never a credential: tokens and secrets stay out, and URLs lose any
// user-info and query string.

const seconds = (ms: number) => shortDuration(Math.round(ms / 1000));

/** A URL without user-info, query or fragment. */
export function plainUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//').replace(/[?#].*$/, '');
}

function lateDataLine(settings: CaptureSettings): string {
  const late = settings.lateData;
  return late.mode === 'settledOnly'
    ? `- late data: settledOnly, each hour read once ${seconds(late.settleDelayMs)} after it closed`
    : `- late data: rescan, hours read ${seconds(late.processingDelayMs)} after they close and again every ` +
        `${seconds(late.rescanEveryMs)} for ${seconds(late.rescanWindowMs)}`;
}

function sinkLine(sink: SinkSpec | undefined): string {
  return sink?.kind === 'aepInlet'
    ? `- sink: local collections and the AEP streaming inlet of flow \`${sink.flowId}\``
    : '- sink: local collections';
}

function pendoHost(spec: CaptureSpec): string {
  const url = spec.endpoint.baseUrl ?? spec.endpoint.host;
  return url ? plainUrl(url) : 'the Pendo region of its integration key';
}

export function captureStaticDetails(spec: CaptureSpec): string {
  return [
    `**Pendo capture ${spec.name}** from ${pendoHost(spec)}`,
    '',
    `- bindings: ${spec.bindings.map((b) => `${b.resource} → \`${b.target}\``).join(', ')}`,
    `- every ${seconds(spec.settings.intervalMs)}, from ${new Date(spec.settings.startMs).toISOString()}`,
    lateDataLine(spec.settings),
    sinkLine(spec.sink),
    '- signals: `pause`, `resume`, `stop` (argument `{"reason": "..."}`), `reconfigure`; update: `reconfigureAndWait`; ' +
      'query: `captureStatus`',
  ].join('\n');
}

export function bindingStaticDetails(capture: string, binding: BindingSpec, spec: CaptureSpec): string {
  return [
    `**Pendo ${binding.resource}** of capture ${capture} → collection \`${binding.target}\``,
    '',
    `- every ${seconds(spec.settings.intervalMs)}, from ${new Date(spec.settings.startMs).toISOString()}`,
    lateDataLine(spec.settings),
    sinkLine(spec.sink),
    '- run by its capture workflow: send `pause`, `resume`, `stop` and `reconfigure` there; query: `bindingStatus`',
  ].join('\n');
}

export function dataflowStaticDetails(spec: DataflowSpec): string {
  return [
    `**AEP streaming dataflow ${spec.name}** in sandbox \`${spec.aep.sandbox}\` (org \`${spec.aep.orgId}\`)`,
    '',
    `- flow \`${spec.flowName}\`, dataset \`${spec.datasetName}\`, schema \`${spec.schemaTitle}\``,
    `- ${spec.mappings.length} mapped fields; checked every ${seconds(spec.monitorIntervalMs)}`,
    `- platform ${plainUrl(spec.aep.platformUrl)}`,
    '- signals: `updateFlow`, `updateAccount`, `delete`; updates: `updateFlowAndWait`, `updateAccountAndWait`; ' +
      'query: `dataflowState`',
  ].join('\n');
}

export function pipelineStaticDetails(spec: PipelineSpec): string {
  return [
    `**Pendo → AEP pipeline ${spec.name}**`,
    '',
    `- dataflow \`${spec.dataflow.name}\` in sandbox \`${spec.dataflow.aep.sandbox}\``,
    `- capture \`${spec.capture.name}\` of ${spec.capture.bindings.map((b) => b.resource).join(', ')}`,
    lateDataLine(spec.capture.settings),
    '- signals: `stop` (the dataflow stays), `delete` (removes the dataflow too); update: `replayDeadLetters`; ' +
      'query: `pipelineState`',
  ].join('\n');
}
