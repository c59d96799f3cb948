import { getExternalWorkflowHandle } from '@temporalio/workflow';
import { RESOURCE_KINDS, type ResourceName } from '../../resources';
import type { BindingProgress } from './binding-progress';
import { bindingWorkflowId } from './ids';
import { slowDownSignal } from './messages';

/**
 * How many windows a binding may have in flight: its share of the capture's budget (`share()`), halved after a
 * 429 (its own or a sibling's) and raised by one per clean window back to the share. Decided on recorded events
 * only (window results, signals), never on the workflow clock.
 */
export class WindowThrottle {
  private lowered: number | undefined;
  private windowsSinceTold = Number.MAX_SAFE_INTEGER;

  constructor(
    private readonly progress: BindingProgress,
    private readonly share: () => number,
  ) {}

  slots(): number {
    return Math.min(this.share(), this.lowered ?? Number.MAX_SAFE_INTEGER);
  }

  clean(): void {
    this.windowsSinceTold++;
    if (this.lowered === undefined) return;
    this.lowered++;
    if (this.lowered >= this.share()) this.lowered = undefined;
  }

  /** A sibling met a 429. */
  slowDown(): void {
    this.progress.slowDowns = (this.progress.slowDowns ?? 0) + 1;
    this.lowered = Math.max(1, Math.floor(this.slots() / 2));
  }

  /**
   * This binding's window met `count` 429s: it slows down, and (at most once per share of windows) tells its event
   * siblings to, so one 429 slows the whole capture on whatever workers its windows run.
   */
  async throttled(count: number, capture: string, self: ResourceName, siblings: readonly ResourceName[]) {
    this.progress.throttles = (this.progress.throttles ?? 0) + count;
    this.lowered = Math.max(1, Math.floor(this.slots() / 2));
    if (this.windowsSinceTold < this.share()) return;
    this.windowsSinceTold = 0;
    const others = siblings.filter((r) => r !== self && RESOURCE_KINDS[r] !== 'snapshot');
    await Promise.all(
      others.map((r) =>
        getExternalWorkflowHandle(bindingWorkflowId(capture, r))
          .signal(slowDownSignal, { from: self })
          .catch(() => undefined),
      ),
    );
  }
}
