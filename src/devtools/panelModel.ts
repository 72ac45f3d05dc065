import type { ConnectionState, Diagnostics, SessionState, SpectatingState } from "../shared";
import type { BrowseState } from "./poolBrowser";

/**
 * Counters whose every move means trouble: the panel highlights them when they move. Not
 * `staleFrames`: frames of a guild just left arrive in normal operation.
 */
export const TROUBLE_COUNTERS = [
  "badFrames",
  "badCalls",
  "refusedCalls",
  "gatewayErrors",
  "slowTabDropped",
  "orphanFrames",
  "logGap:history_lost",
  "logGap:gateway_restart",
] as const;

/** A trouble counter's value and when it last grew (null: not since the panel opened). */
export interface Trouble {
  name: string;
  value: number;
  movedAt: number | null;
}

/** The worker's count of log entries at a time: the rate sparkline's points. */
export interface RateSample {
  /** ms since epoch */
  at: number;
  /** The worker's `logEntries` counter then. */
  entries: number;
}

/** How many samples of the log rate the panel keeps. */
export const RATE_SAMPLES = 60;

/**
 * What the panel knows: the latest of each stream, the counters that mean trouble, the log
 * rate's recent samples, this tab's id and the pool being browsed.
 */
export interface PanelState {
  connection: ConnectionState | null;
  session: SessionState | null;
  spectating: SpectatingState | null;
  diagnostics: Diagnostics | null;
  trouble: Trouble[];
  rate: RateSample[];
  /** This tab's id (from `ready`), to mark it among the worker's tabs. */
  tabId: string | null;
  /** The pool expanded to browse its entities, or null. */
  browse: BrowseState | null;
}

export const initialPanelState: PanelState = {
  connection: null,
  session: null,
  spectating: null,
  diagnostics: null,
  trouble: [],
  rate: [],
  tabId: null,
  browse: null,
};

/** A value from one of the client's streams, this tab's id, or the browsed pool's state. */
export type PanelEvent =
  | { kind: "connection"; value: ConnectionState }
  | { kind: "session"; value: SessionState }
  | { kind: "spectating"; value: SpectatingState }
  | { kind: "diagnostics"; value: Diagnostics }
  | { kind: "tab"; value: string }
  | { kind: "browse"; value: BrowseState | null };

/** The trouble counters of a diagnostics snapshot: the worker's, and the cache's errors and discards. */
function troubleOf(d: Diagnostics): [string, number][] {
  return [
    ...TROUBLE_COUNTERS.map((name): [string, number] => [name, d.counters[name] ?? 0]),
    ["cache.errors", d.cache.errors],
    ["cache.discarded", d.cache.discarded],
  ];
}

function withDiagnostics(state: PanelState, d: Diagnostics, now: number): PanelState {
  const before = new Map(state.trouble.map((t) => [t.name, t]));
  const trouble = troubleOf(d).map(([name, value]): Trouble => {
    const was = before.get(name);
    // The first snapshot sets the baseline: what happened before the panel opened is not news.
    const moved = was !== undefined && value > was.value;
    return { name, value, movedAt: moved ? now : (was?.movedAt ?? null) };
  });
  const entries = d.counters.logEntries ?? 0;
  const last = state.rate[state.rate.length - 1];
  // A new worker counts from 0 again: its samples start afresh.
  const kept =
    last && entries >= last.entries && d.workerId === state.diagnostics?.workerId ? state.rate : [];
  const rate = [...kept, { at: now, entries }].slice(-RATE_SAMPLES);
  return { ...state, diagnostics: d, trouble, rate };
}

/** The panel's one transition function: an event at `now` (ms since epoch). */
export function reducePanel(state: PanelState, event: PanelEvent, now: number): PanelState {
  switch (event.kind) {
    case "connection":
      return { ...state, connection: event.value };
    case "session":
      return { ...state, session: event.value };
    case "spectating":
      return { ...state, spectating: event.value };
    case "diagnostics":
      return withDiagnostics(state, event.value, now);
    case "tab":
      return { ...state, tabId: event.value };
    case "browse":
      return { ...state, browse: event.value };
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
