import type { SpectateReturnPayload } from "../../src/protocol";
import { GatewayError } from "../../src/shared";
import type { Signal } from "../signal";
import { applyGuildAnswer } from "./applyGuildAnswer";
import type { AskedSeqs, GuildSeqs } from "./guildSeqs";
import type { PresenceSeqs } from "./presenceSeqs";
import { spectateRequest } from "./spectateRequest";
import {
  INITIAL_SPECTATE,
  nextSpectate,
  type SpectateEffect,
  type SpectateEvent,
  type SpectateState,
  type Target,
} from "./spectateMachine";
import type { SpectatorDeps } from "./spectatorDeps";
import type { Wish } from "./wishes";

/** What the loop uses: the spectator's deps, its seqs, and what the wishes make now. */
export interface SpectateLoopDeps extends Pick<
  SpectatorDeps,
  | "requests"
  | "restoring"
  | "authenticated"
  | "batchMs"
  | "invalidateGuild"
  | "logsGap"
  | "presenceFlow"
  | "caughtUp"
> {
  seqs: GuildSeqs;
  presence: PresenceSeqs;
  changed: Signal<void>;
  /** The target the wishes and the tabs' views make now. */
  target(): Target;
  /** The wish a spectate sent now answers. */
  wish(): Wish;
}

/**
 * Drives the spectate machine (spectateMachine.ts): runs its effects (the request, the wait for
 * the cache, the answer applied to the seqs), one spectate at a time, and tells whoever waits
 * when it settles. Which wish a failure belongs to is kept for the `spectate()` that made it.
 */
export class SpectateLoop {
  readonly #deps: SpectateLoopDeps;
  #state: SpectateState = INITIAL_SPECTATE;
  /** Why a wish's spectate failed (read by the `spectate()` that made it). */
  readonly failures = new WeakMap<Wish, unknown>();
  /** Who waits for the loop to settle (nothing on its way, nothing to ask). */
  #waiters: (() => void)[] = [];
  /** The batching window the gateway echoed in its last answer (null: single frames). */
  batchMs: number | null = null;

  constructor(deps: SpectateLoopDeps) {
    this.#deps = deps;
  }

  get state(): SpectateState {
    return this.#state;
  }

  /** Resolves once the loop settled (the latest wish answered, or nothing can be asked). */
  sync(): Promise<void> {
    const settled = new Promise<void>((resolve) => this.#waiters.push(resolve));
    this.#check();
    return settled;
  }

  #check(): void {
    const target = this.#deps.target();
    const restoring = target.guildId !== null ? this.#deps.restoring(target.guildId) : null;
    this.dispatch({
      type: "check",
      target,
      authenticated: this.#deps.authenticated(),
      restoring: !!restoring,
    });
  }

  dispatch(event: SpectateEvent): void {
    for (const effect of this.#transition(event)) this.#run(effect);
  }

  /** Moves the machine; the caller runs the effects (after the data they depend on is in place). */
  #transition(event: SpectateEvent): SpectateEffect[] {
    const { state, effects } = nextSpectate(this.#state, event);
    this.#state = state;
    return effects;
  }

  #run(effect: SpectateEffect): void {
    switch (effect.type) {
      case "changed":
        return this.#deps.changed.emit();
      case "recheck":
        return this.#check();
      case "settled": {
        const waiters = this.#waiters;
        this.#waiters = [];
        for (const resolve of waiters) resolve();
        return;
      }
      case "awaitRestore": {
        const restored = () => this.dispatch({ type: "restored" });
        void (this.#deps.restoring(effect.guildId) ?? Promise.resolve()).then(restored, restored);
        return;
      }
      case "ask":
        return this.#ask(effect.target);
    }
  }

  #ask(target: Target): void {
    const wish = this.#deps.wish();
    // A copy: takeLog and seed change the held seqs in place while the spectate is on its way.
    const asked = this.#deps.seqs.ask(target.guildId, target.includeLogs);
    const presenceSince =
      target.includePresence && target.guildId !== null ? this.#deps.presence.of(target.guildId) : undefined;
    const answered = (answer: SpectateReturnPayload) => {
      // The session ended meanwhile: the answer no longer counts.
      if (this.#state.now.phase === "asking") this.#apply(answer, target, asked, presenceSince);
      else this.dispatch({ type: "answered", spectated: this.#state.spectated });
    };
    spectateRequest(this.#deps.requests, target, asked, presenceSince, this.#deps.batchMs(), answered).catch(
      (error: unknown) => {
        this.failures.set(wish, error);
        const authLost =
          error instanceof GatewayError &&
          (error.code === "not_authenticated" || error.code === "session_expired");
        this.dispatch({ type: "failed", authLost });
      },
    );
  }

  /** The answer, applied in the frame's own task: replayed frames right behind it must find it done. */
  #apply(
    answer: SpectateReturnPayload,
    asked: Target,
    seqs: AskedSeqs,
    presenceSince: number | undefined,
  ): void {
    // Extension 2: asked and not echoed means the gateway has no presence (never guessed).
    const presence = asked.includePresence && answer.include_presence === true;
    if (asked.includePresence) this.#deps.presence.support = presence ? "supported" : "unsupported";
    this.batchMs = answer.batch_ms ?? null;
    const guildId = answer.guild_id;
    const spectated = {
      guildId,
      includeLogs: answer.include_logs,
      includePresence: presence,
      logsRefused: asked.includeLogs && !answer.include_logs,
    };
    // What is spectated changes first; the effects (compare again, tell) once the seqs are held.
    const effects = this.#transition({ type: "answered", spectated });
    if (guildId !== null)
      applyGuildAnswer(this.#deps, { ...answer, guild_id: guildId }, { ...seqs, presenceSince }, presence);
    else this.#deps.seqs.answeredNone();
    for (const effect of effects) this.#run(effect);
  }
}
