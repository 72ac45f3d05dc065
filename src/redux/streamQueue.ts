import type { StreamUpdate } from "./streamUpdate";
import { gatewayActions } from "./gatewayActions";

/** Gathers the stream changes of one task into one action. */
export interface StreamQueue {
  /** Adds a change to the task's batch (dispatched once the task's synchronous work is done). */
  push(update: StreamUpdate): void;
  /** Dispatches `action` right after the batch that carries every change pushed before it. */
  after(action: object): void;
  /** Dispatches what is gathered now: the batch (if any changes), then the `after` actions. */
  flush(): void;
}

/**
 * The client emits a delivery batch's values synchronously within one task; every change pushed
 * in that task goes out as ONE `gateway/streams/batch` action, dispatched from a microtask
 * (`schedule`), never one per emission or per entry.
 */
export function createStreamQueue(
  dispatch: (action: object) => unknown,
  schedule: (run: () => void) => void = queueMicrotask,
): StreamQueue {
  let updates: StreamUpdate[] = [];
  let followers: object[] = [];
  let scheduled = false;
  const flush = () => {
    if (updates.length === 0 && followers.length === 0) return;
    const batch = updates;
    const then = followers;
    updates = [];
    followers = [];
    if (batch.length > 0) dispatch(gatewayActions.streamsBatch(batch));
    for (const action of then) dispatch(action);
  };
  const arm = () => {
    if (scheduled) return;
    scheduled = true;
    schedule(() => {
      scheduled = false;
      flush();
    });
  };
  return {
    push(update) {
      updates.push(update);
      arm();
    },
    after(action) {
      followers.push(action);
      arm();
    },
    flush,
  };
}
