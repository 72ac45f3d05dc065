import type { Cancel, Clock } from "../shared";

/** Renders at most once per `minIntervalMs`, and never while the panel is not visible. */
export interface RenderGate {
  /** Something changed: render soon (at most once per interval; later if the panel is hidden). */
  request(): void;
  /** The panel's visibility may have changed: render now if something waits and it shows. */
  visibilityChanged(): void;
  /** Renders so far. */
  readonly renders: number;
  /** Cancels what is scheduled; later requests do nothing. */
  dispose(): void;
}

/**
 * However fast the streams are, the panel renders a few times a second at most (the interval),
 * and a hidden panel (collapsed, or its page hidden) renders nothing until it shows again.
 */
export function createRenderGate(options: {
  clock: Clock;
  minIntervalMs: number;
  visible: () => boolean;
  render: () => void;
}): RenderGate {
  const { clock, minIntervalMs, visible, render } = options;
  let dirty = false;
  let last = -Infinity;
  let scheduled: Cancel | null = null;
  let renders = 0;
  let disposed = false;

  const run = () => {
    scheduled = null;
    if (disposed || !dirty || !visible()) return;
    dirty = false;
    last = clock.now();
    renders++;
    render();
  };
  const schedule = () => {
    if (disposed || scheduled || !dirty || !visible()) return;
    scheduled = clock.setTimeout(run, Math.max(0, last + minIntervalMs - clock.now()));
  };
  return {
    request() {
      dirty = true;
      schedule();
    },
    visibilityChanged: schedule,
    get renders() {
      return renders;
    },
    dispose() {
      disposed = true;
      scheduled?.();
      scheduled = null;
    },
  };
}
