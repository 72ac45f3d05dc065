import type { ConnectionState, Diagnostics, SessionState, SpectatingState } from "../shared";

/** One change of the connection's status, as the panel's timeline shows it. */
export interface Transition {
  /** ms since epoch */
  at: number;
  status: ConnectionState["status"];
  /** The connection's `lastError` at the time (why it dropped or failed), else null. */
  reason: string | null;
}

/**
 * Counters whose every move means trouble: the panel highlights them when they move. Not
 * `staleFrames`: frames of a guild just left arrive in normal operation.
 */
export const TROUBLE_COUNTERS = ["badFrames", "gatewayErrors", "slowTabDropped", "orphanFrames"] as const;

/** A trouble counter's value and when it last grew (null: not since the panel opened). */
export interface Trouble {
  name: string;
  value: number;
  movedAt: number | null;
}

/** What the panel knows: the latest of each stream, the connection's recent transitions, the counters that mean trouble. */
export interface PanelState {
  connection: ConnectionState | null;
  session: SessionState | null;
  spectating: SpectatingState | null;
  diagnostics: Diagnostics | null;
  /** The last {@link TIMELINE_LENGTH} transitions, oldest first. */
  timeline: Transition[];
  trouble: Trouble[];
}

export const TIMELINE_LENGTH = 12;

export const initialPanelState: PanelState = {
  connection: null,
  session: null,
  spectating: null,
  diagnostics: null,
  timeline: [],
  trouble: [],
};

/** A value from one of the client's streams. */
export type PanelEvent =
  | { kind: "connection"; value: ConnectionState }
  | { kind: "session"; value: SessionState }
  | { kind: "spectating"; value: SpectatingState }
  | { kind: "diagnostics"; value: Diagnostics };

/** The trouble counters of a diagnostics snapshot: the worker's, and the cache's errors and discards. */
function troubleOf(d: Diagnostics): [string, number][] {
  return [
    ...TROUBLE_COUNTERS.map((name): [string, number] => [name, d.counters[name] ?? 0]),
    ["cache.errors", d.cache.errors],
    ["cache.discarded", d.cache.discarded],
  ];
}

/** The panel's one transition function: a stream's value at `now` (ms since epoch). */
export function reducePanel(state: PanelState, event: PanelEvent, now: number): PanelState {
  switch (event.kind) {
    case "connection": {
      const previous = state.connection?.status;
      if (previous === event.value.status) return { ...state, connection: event.value };
      const step: Transition = { at: now, status: event.value.status, reason: event.value.lastError };
      return {
        ...state,
        connection: event.value,
        timeline: [...state.timeline, step].slice(-TIMELINE_LENGTH),
      };
    }
    case "session":
      return { ...state, session: event.value };
    case "spectating":
      return { ...state, spectating: event.value };
    case "diagnostics": {
      const before = new Map(state.trouble.map((t) => [t.name, t]));
      const trouble = troubleOf(event.value).map(([name, value]): Trouble => {
        const was = before.get(name);
        // The first snapshot sets the baseline: what happened before the panel opened is not news.
        const moved = was !== undefined && value > was.value;
        return { name, value, movedAt: moved ? now : (was?.movedAt ?? null) };
      });
      return { ...state, diagnostics: event.value, trouble };
    }
  }
}

/** How long a trouble counter stays highlighted after it moved. */
export const HIGHLIGHT_MS = 10_000;

export const isHighlighted = (t: Trouble, now: number): boolean =>
  t.movedAt !== null && now - t.movedAt < HIGHLIGHT_MS;

/**
 * What the export button saves: everything the panel holds, as JSON. Nothing in it is secret:
 * the worker never puts the token in diagnostics, and sessions carry claims, not tokens.
 */
export function exportSnapshot(state: PanelState, now: number): string {
  return JSON.stringify({ exportedAt: new Date(now).toISOString(), ...state }, null, 2);
}
