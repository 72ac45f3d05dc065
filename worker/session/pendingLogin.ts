import type { SessionState } from "../../src/shared";

/** A login's promise, settled by the machine's `settle` effect. */
export interface PendingLogin {
  promise: Promise<SessionState>;
  resolve(state: SessionState): void;
  reject(error: unknown): void;
}

export function pendingLogin(): PendingLogin {
  let resolve!: (state: SessionState) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<SessionState>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
