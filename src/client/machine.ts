/** What a transition returns: the next phase and the effects to run, in order. */
export interface Step<P, F> {
  phase: P;
  effects: F[];
}

/** `phase` next, then `effects` (none: the phase stays as it is). */
export const step = <P, F>(phase: P, ...effects: F[]): Step<P, F> => ({ phase, effects });

/** A running state machine: its phase, and the one way to change it. */
export interface Machine<P, E> {
  readonly phase: P;
  send(event: E): void;
}

/**
 * The thin shell around a pure transition function: every event goes through `step`, one at a
 * time (an event sent while effects run waits for them to finish), and the shell runs the effects
 * it returns. The phase changes nowhere else (centrifuge-js's `_setState`, TanStack's `#dispatch`).
 */
export function runMachine<P, E, F>(
  initial: P,
  step: (phase: P, event: E) => Step<P, F>,
  run: (effect: F) => void,
): Machine<P, E> {
  let phase = initial;
  /** Events not stepped yet; the first is being stepped while it is there. */
  const queue: E[] = [];
  return {
    get phase() {
      return phase;
    },
    send(event) {
      if (queue.push(event) > 1) return;
      try {
        for (let next = queue[0]; next !== undefined; queue.shift(), next = queue[0]) {
          const result = step(phase, next);
          phase = result.phase;
          for (const effect of result.effects) run(effect);
        }
      } finally {
        queue.length = 0;
      }
    },
  };
}
