import { MAX_SIGNAL_BYTES } from './bounds';
import type { CaptureSpec } from './types';
import { ReconfigureArgsSchema } from './reconfigure-schema';
import { describeIssues } from '../common/validate';

const MAX_MESSAGE = 500;

/**
 * Why a `reconfigure` argument is refused, in at most a few hundred characters, or undefined when it is taken.
 * The size is checked before anything else reads the argument. A binding's target cannot change while it runs:
 * its child workflow keeps writing where it started.
 */
export function reconfigureProblem(args: unknown, spec: CaptureSpec): string | undefined {
  const size = JSON.stringify(args ?? {}).length;
  if (size > MAX_SIGNAL_BYTES) {
    return `(argument): is ${size} characters of JSON; the limit is ${MAX_SIGNAL_BYTES / 1024} KiB`;
  }
  const parsed = ReconfigureArgsSchema.safeParse(args ?? {});
  if (!parsed.success) return shorten(describeIssues(parsed.error));
  const moved = (parsed.data.bindings ?? []).flatMap((b, i) => {
    const running = spec.bindings.find((o) => o.resource === b.resource);
    return running && running.target !== b.target
      ? [`bindings.${i}.target: ${b.resource} writes to '${running.target}'; a running binding's target cannot change`]
      : [];
  });
  return moved.length ? shorten(moved.join('; ')) : undefined;
}

const shorten = (s: string) => (s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s);
