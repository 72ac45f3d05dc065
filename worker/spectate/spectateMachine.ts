/** What a spectate asks for: a guild (or none), its logs, its presence. */
export interface Target {
  readonly guildId: string | null;
  readonly includeLogs: boolean;
  readonly includePresence: boolean;
}

/** What the gateway spectates for this connection, as its last answer said. */
export interface Spectated extends Target {
  /** Logs were asked for and not granted (no VIEW_PUBLIC_LOGS): not asked again. */
  readonly logsRefused: boolean;
}

/**
 * The spectate loop's phase (one spectate at a time):
 * - `idle`: nothing on its way; `spectated` is what the gateway spectates.
 * - `restoring`: the target guild's pools are being restored from the cache; the spectate waits
 *   for them, so it can ask for what came after their copies (`since`). Frames of the guild are
 *   taken meanwhile.
 * - `asking`: a spectate is on its way; frames of its guild are taken before its answer.
 * - `refused`: the last spectate of `target` failed; it is not asked again until the target
 *   changes, a tab wishes again, or the connection is elevated again.
 * - `dropped`: a spectate (or the wait for the cache before it) is on its way whose outcome no
 *   longer counts: the session ended meanwhile.
 *
 *   idle|refused ─check→ restoring ─restored→ idle ─check→ asking ─answered→ idle (and check)
 *                                                          asking ─failed→ refused
 *   asking|restoring ─reset→ dropped ─answered|failed|restored→ idle (and check);   any ─gap→ (spectated: none) ─check→ …
 */
export type SpectatePhase =
  | { readonly phase: "idle" }
  | { readonly phase: "restoring"; readonly target: Target }
  | { readonly phase: "asking"; readonly target: Target }
  | { readonly phase: "refused"; readonly target: Target }
  | { readonly phase: "dropped" };

export interface SpectateState {
  readonly now: SpectatePhase;
  readonly spectated: Spectated;
}

export type SpectateEvent =
  /** Something the target depends on changed (a wish, the views, the session): compare again. */
  | {
      readonly type: "check";
      readonly target: Target;
      readonly authenticated: boolean;
      readonly restoring: boolean;
    }
  /** A tab wished again, focused, or the connection was elevated: a refused target may be asked again. */
  | { readonly type: "rewish" }
  | { readonly type: "restored" }
  | { readonly type: "answered"; readonly spectated: Spectated }
  | { readonly type: "failed"; readonly authLost: boolean }
  /** Frames were missed within one connection: the guild is spectated again from what is held. */
  | { readonly type: "gap" }
  /** The session or connection ended: the gateway left every room. */
  | { readonly type: "reset" };

export type SpectateEffect =
  /** Wait for the target guild's cache reads, then `restored`. */
  | { readonly type: "awaitRestore"; readonly guildId: string }
  /** Send the spectate; its answer is `answered`, its failure `failed`. */
  | { readonly type: "ask"; readonly target: Target }
  /** Compare the target again (`check` with what it is now). */
  | { readonly type: "recheck" }
  /** Nothing is on its way and nothing is to ask: whoever waits for the loop may go on. */
  | { readonly type: "settled" }
  | { readonly type: "changed" };

export const NOTHING_SPECTATED: Spectated = {
  guildId: null,
  includeLogs: false,
  includePresence: false,
  logsRefused: false,
};

export const INITIAL_SPECTATE: SpectateState = { now: { phase: "idle" }, spectated: NOTHING_SPECTATED };

const same = (a: Target, b: Target) =>
  a.guildId === b.guildId && a.includeLogs === b.includeLogs && a.includePresence === b.includePresence;

/** Whether the connection spectates what `target` asks (or `target` was refused as it is). */
export function synced(state: SpectateState, target: Target): boolean {
  if (state.now.phase === "refused" && same(state.now.target, target)) return true;
  const actual = state.spectated;
  if (target.guildId !== actual.guildId) return false;
  // No guild: presence only matters while the gateway's support is still to be learnt.
  if (
    target.guildId === null
      ? target.includePresence && !actual.includePresence
      : target.includePresence !== actual.includePresence
  )
    return false;
  return target.includeLogs === actual.includeLogs || (target.includeLogs && actual.logsRefused);
}

/** The target of a spectate on its way (or waiting for the cache), else null. */
export function inFlight(state: SpectateState): Target | null {
  const now = state.now;
  return now.phase === "asking" || now.phase === "restoring" ? now.target : null;
}

type Next = { state: SpectateState; effects: SpectateEffect[] };

const stay = (state: SpectateState): Next => ({ state, effects: [] });

/** The one transition function of the spectate loop. Pure: effects say what to do. */
export function nextSpectate(state: SpectateState, event: SpectateEvent): Next {
  const { now } = state;
  switch (event.type) {
    case "check": {
      if (now.phase !== "idle" && now.phase !== "refused") return stay(state);
      if (!event.authenticated || synced(state, event.target))
        return { state, effects: [{ type: "settled" }] };
      const { target } = event;
      if (event.restoring && target.guildId !== null)
        return {
          state: { ...state, now: { phase: "restoring", target } },
          effects: [{ type: "awaitRestore", guildId: target.guildId }],
        };
      return {
        state: { ...state, now: { phase: "asking", target } },
        effects: [{ type: "ask", target }, { type: "changed" }],
      };
    }
    case "rewish":
      return now.phase === "refused"
        ? { state: { ...state, now: { phase: "idle" } }, effects: [] }
        : stay(state);
    case "restored":
      if (now.phase !== "restoring" && now.phase !== "dropped") return stay(state);
      return { state: { ...state, now: { phase: "idle" } }, effects: [{ type: "recheck" }] };
    case "answered":
      if (now.phase === "dropped")
        return { state: { ...state, now: { phase: "idle" } }, effects: [{ type: "recheck" }] };
      if (now.phase !== "asking") return stay(state);
      return {
        state: { now: { phase: "idle" }, spectated: event.spectated },
        effects: [{ type: "changed" }, { type: "recheck" }],
      };
    case "failed": {
      if (now.phase === "dropped")
        return { state: { ...state, now: { phase: "idle" } }, effects: [{ type: "recheck" }] };
      if (now.phase !== "asking") return stay(state);
      // Not asked again in a loop: a new wish, a focus or the next elevation tries again.
      const refused: SpectateState = { ...state, now: { phase: "refused", target: now.target } };
      return {
        state: refused,
        effects: [{ type: "changed" }, event.authLost ? { type: "settled" } : { type: "recheck" }],
      };
    }
    case "gap":
      return { state: { ...state, spectated: NOTHING_SPECTATED }, effects: [{ type: "recheck" }] };
    case "reset":
      // Something on its way ends later (and compares again then); its outcome no longer counts.
      if (now.phase === "idle" || now.phase === "refused")
        return {
          state: { now: { phase: "idle" }, spectated: NOTHING_SPECTATED },
          effects: [{ type: "changed" }],
        };
      return {
        state: { now: { phase: "dropped" }, spectated: NOTHING_SPECTATED },
        effects: [{ type: "changed" }],
      };
  }
}
