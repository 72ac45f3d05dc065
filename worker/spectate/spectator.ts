import type { SpectatingState } from "../../src/shared";
import { Signal } from "../signal";
import { checkCaughtUp } from "./applyGuildAnswer";
import { GuildSeqs } from "./guildSeqs";
import { PresenceSeqs } from "./presenceSeqs";
import { SpectateLoop } from "./spectateLoop";
import { inFlight, synced, type Target } from "./spectateMachine";
import type { SpectatorDeps } from "./spectatorDeps";
import { Wishes, type SavedWishes } from "./wishes";

/**
 * The one spectated guild of the connection, driving the spectate machine (spectateMachine.ts):
 * the latest `spectate()` of any tab wins (wishes.ts); `include_logs` follows whether any tab
 * subscribes to that guild's logs, `include_presence` whether any views its members; the seqs
 * (guildSeqs.ts, presenceSeqs.ts) make a re-spectate replay what was missed.
 */
export class Spectator {
  readonly #deps: SpectatorDeps;
  readonly #wishes = new Wishes();
  /** The pool and log seqs held per guild (see GuildSeqs). */
  readonly seqs = new GuildSeqs();
  /** Presence seqs per guild and whether the gateway has presence (Extension 2). */
  readonly presence = new PresenceSeqs();
  readonly changed = new Signal<void>();
  readonly #loop: SpectateLoop;

  constructor(deps: SpectatorDeps) {
    this.#deps = deps;
    this.#loop = new SpectateLoop({
      ...deps,
      seqs: this.seqs,
      presence: this.presence,
      changed: this.changed,
      target: () => this.#target(),
      wish: () => this.#wishes.desired,
    });
  }

  /** The batching window the gateway echoed in its last answer (null: single frames). */
  get batchMs(): number | null {
    return this.#loop.batchMs;
  }

  get guildId(): string | null {
    return this.#loop.state.spectated.guildId;
  }

  get includeLogs(): boolean {
    return this.#loop.state.spectated.includeLogs;
  }

  /** The guild some tab wishes to spectate (answered or not). */
  get wishedGuildId(): string | null {
    return this.#wishes.desired.guildId;
  }

  /** The presence seq of a guild while its presence frames flow here (null: they do not). */
  presenceAt(guildId: string): number | null {
    const { spectated } = this.#loop.state;
    const flowing = spectated.guildId === guildId && spectated.includePresence;
    return flowing ? (this.presence.of(guildId) ?? null) : null;
  }

  /** Whether member loads of a guild should wait: its presence is about to flow (asked, not yet answered). */
  presencePending(guildId: string): boolean {
    return (
      this.#wishes.desired.guildId === guildId &&
      !this.failedFor(guildId) &&
      this.presenceAt(guildId) === null &&
      this.#target().includePresence
    );
  }

  /** What tabs asked to spectate, to put back when a login that reset it fails. */
  saveWishes(): SavedWishes {
    return this.#wishes.save();
  }

  restoreWishes(saved: SavedWishes): void {
    this.#wishes.restore(saved);
    this.changed.emit();
  }

  /** Whether the last spectate of this guild failed (it is not asked again until something changes). */
  failedFor(guildId: string): boolean {
    const { now } = this.#loop.state;
    return now.phase === "refused" && now.target.guildId === guildId;
  }

  stateFor(tabId: string): SpectatingState {
    const { spectated, now } = this.#loop.state;
    const desired = this.#wishes.desired;
    return {
      guildId: spectated.guildId,
      includeLogs: spectated.includeLogs,
      pending:
        now.phase === "dropped" ||
        inFlight(this.#loop.state) !== null ||
        !synced(this.#loop.state, this.#target()),
      mine: desired.owner === tabId && desired.guildId === spectated.guildId,
      wanted: this.#wishes.wantedBy(tabId),
    };
  }

  /** A tab asks for a guild (null: none). Resolves once the gateway answered the latest wish. */
  async spectate(tabId: string, guildId: string | null, includeLogs: boolean): Promise<void> {
    if (!this.#deps.authenticated()) throw this.#deps.loginNeeded("spectate");
    const { wish, undo } = this.#wishes.wish(tabId, guildId, includeLogs);
    this.#loop.dispatch({ type: "rewish" });
    await this.#loop.sync();
    if (!this.#loop.failures.has(wish)) return;
    // Refused (403/404…): the connection keeps what it had; the tab's wish is undone, and what
    // was wished before (its presence, or a probe, may still be owed) is asked again.
    undo();
    this.changed.emit();
    void this.#loop.sync();
    throw this.#loop.failures.get(wish);
  }

  /** The tab became visible or focused: its wanted guild wins again. */
  async focus(tabId: string): Promise<void> {
    if (!this.#deps.authenticated() || !this.#wishes.focus(tabId)) return;
    this.#loop.dispatch({ type: "rewish" });
    await this.#loop.sync();
  }

  /** A tab resumes a guild's log stream after `since` (see GuildSeqs.resumeLogsFrom). */
  resumeLogsFrom(guildId: string, since: number): number | null {
    const { spectated, now } = this.#loop.state;
    const settled = now.phase === "idle" || now.phase === "refused";
    const flowing = spectated.guildId === guildId && spectated.includeLogs && settled;
    return this.seqs.resumeLogsFrom(guildId, since, flowing);
  }

  /** Subscriptions changed: `include_logs` and `include_presence` may have to follow. */
  viewsChanged(): void {
    if (this.#deps.authenticated()) void this.#loop.sync();
  }

  removeTab(tabId: string): void {
    this.#wishes.remove(tabId);
    this.viewsChanged();
    this.changed.emit();
  }

  /** Whether a pushed frame of a guild may be taken: the spectated guild's, or the one being asked for. */
  accepts(guildId: string, stream: "pool" | "includeLogs" | "includePresence"): boolean {
    const ok = (t: Target | null) => t?.guildId === guildId && (stream === "pool" || t[stream]);
    return ok(this.#loop.state.spectated) || ok(inFlight(this.#loop.state));
  }

  #asking(guildId: string): boolean {
    return inFlight(this.#loop.state)?.guildId === guildId;
  }

  /** A presence frame, before it is applied (see `takePool`). */
  takePresence(guildId: string, seq: number): "apply" | "duplicate" | "ahead" | "gap" {
    const take = this.presence.take(guildId, seq, this.#asking(guildId));
    if (take === "gap") this.#loop.dispatch({ type: "gap" });
    return take;
  }

  presenceApplied(guildId: string, seq: number): void {
    this.presence.applied(guildId, seq);
    this.#checkCaughtUp(guildId);
  }

  /** A pushed pool event, before it is applied: a `gap` spectates the guild again from what is held. */
  takePool(guildId: string, seq: number): "apply" | "duplicate" | "ahead" | "gap" {
    const take = this.seqs.takePool(guildId, seq, this.#asking(guildId));
    if (take === "gap") this.#loop.dispatch({ type: "gap" });
    return take;
  }

  poolApplied(guildId: string, seq: number): void {
    this.seqs.poolApplied(guildId, seq);
    this.#checkCaughtUp(guildId);
  }

  #checkCaughtUp(guildId: string): void {
    checkCaughtUp(this.seqs, this.presence, this.#deps, guildId);
  }

  /** Elevated (again): spectate what is wished for, replaying the gap since the last seqs. */
  resume(): void {
    this.#loop.dispatch({ type: "rewish" });
    void this.#loop.sync();
  }

  /** The session ended: the gateway left every room. */
  reset(keepWish: boolean): void {
    const { spectated } = this.#loop.state;
    this.seqs.dropped(keepWish, spectated.includeLogs ? spectated.guildId : null);
    // The next connection may reach another gateway: whether it has presence is asked again.
    this.presence.support = "unknown";
    if (!keepWish) {
      this.#wishes.clear();
      this.presence.clear();
    }
    this.#loop.dispatch({ type: "reset" });
  }

  /** The target the wishes and the tabs' views make now. */
  #target(): Target {
    const guildId = this.#wishes.desired.guildId;
    const includeLogs =
      guildId !== null && this.#wishes.desired.includeLogs && this.#deps.logsWanted(guildId);
    // Presence while a tab views the guild's members, or (any guild, none too) to learn whether
    // the gateway has it while an online view waits to know; never once it said it has not.
    const support = this.presence.support;
    const includePresence =
      support !== "unsupported" &&
      ((guildId !== null && this.#deps.presenceWanted(guildId)) ||
        (support === "unknown" && this.#deps.presenceWanted(null)));
    return { guildId, includeLogs, includePresence };
  }
}
