import type { SpectateReturnPayload } from "../../src/protocol";
import type { SpectatingState } from "../../src/shared";
import { applyAnswer, type GuildAnswer } from "./applyAnswer";
import { caughtUp, guildSeqs, poolSeqApplied, resetSeqs, resumeLogsAt, seedSeq } from "./guildSeqs";
import { sinceOf, takeLogSeq, takePoolSeq, type GuildSeqs, type Since } from "./guildSeqs";
import { PresenceSeqs } from "./presenceSeqs";
import { loginLost, spectateRequest } from "./spectateRequest";
import type { SpectatorDeps } from "./spectatorDeps";
import { answeredTarget, isSynced, noTarget, targetOf, type Desired, type Target } from "./target";
import { noWish, refocused, restoreWanted, spectatingStateOf, undoWanted } from "./wishes";
import type { SavedWishes, Wanted } from "./wishes";
import { Signal } from "../signal";

/**
 * The one spectated guild of the connection. The latest `spectate()` of any tab wins; a tab
 * that becomes visible takes its wanted guild back; `include_logs` follows whether any tab
 * subscribes to that guild's logs. Tracks seqs so a re-spectate replays what was missed.
 */
export class Spectator {
  #desired: Desired = noWish();
  #actual: Target = noTarget();
  readonly #wanted: Wanted = new Map();
  /** The seqs of the spectated guilds (read by diagnostics; changed here only). */
  readonly seqs: GuildSeqs = guildSeqs();
  /** The spectate on its way: frames of its guild are taken before its answer. */
  #asking: Target | null = null;
  /** Presence seqs per guild and whether the gateway has presence (Extension 2). */
  readonly presence = new PresenceSeqs();
  #inFlight = false;
  /** The guild whose logs the gateway refused (no VIEW_PUBLIC_LOGS): do not ask again. */
  #logsRefused: string | null = null;
  #loop: Promise<void> = Promise.resolve();
  #running = false;
  #failures = new WeakMap<Desired, unknown>();
  /** The target whose spectate just failed: not asked again until a wish or the connection changes. */
  #failedTarget: Target | null = null;
  readonly changed = new Signal<void>();
  /** The batching window the gateway echoed in its last answer (null: single frames). */
  batchMs: number | null = null;
  readonly #deps: SpectatorDeps;

  constructor(deps: SpectatorDeps) {
    this.#deps = deps;
  }

  get guildId(): string | null {
    return this.#actual.guildId;
  }

  get includeLogs(): boolean {
    return this.#actual.includeLogs;
  }

  /** The guild some tab wishes to spectate (answered or not). */
  get wishedGuildId(): string | null {
    return this.#desired.guildId;
  }

  /** The presence seq of a guild while its presence frames flow here (null: they do not). */
  presenceAt(guildId: string): number | null {
    const flowing = this.#actual.guildId === guildId && this.#actual.includePresence;
    return flowing ? (this.presence.of(guildId) ?? null) : null;
  }

  /**
   * Whether member loads of a guild should wait: its presence is about to flow (wished, maybe supported,
   * not answered yet), and a load answered before it would miss the frames in between. False once it
   * flows or failed.
   */
  presencePending(guildId: string): boolean {
    const wished = this.#desired.guildId === guildId && this.#failedTarget?.guildId !== guildId;
    return wished && this.presenceAt(guildId) === null && this.#target().includePresence;
  }

  /** The last pool seq applied for a guild (null: never spectated, nor restored). */
  readonly poolSeqOf = (guildId: string): number | null => this.seqs.held.get(guildId)?.pool ?? null;

  /** Pools of a guild were restored from a copy at `seq`: its first spectate asks for what came after. */
  readonly seed = (guildId: string, seq: number): void => seedSeq(this.seqs, guildId, seq);

  /** What tabs asked to spectate, to put back when a login that reset it fails. */
  readonly saveWishes = (): SavedWishes => ({ desired: this.#desired, wanted: [...this.#wanted] });

  restoreWishes(saved: SavedWishes): void {
    this.#desired = saved.desired;
    restoreWanted(this.#wanted, saved);
    this.changed.emit();
  }

  /** Whether the last spectate of this guild failed (it is not asked again until something changes). */
  readonly failedFor = (guildId: string): boolean => this.#failedTarget?.guildId === guildId;

  /** Whether a replay into this guild's pools is still being applied. */
  readonly catchingUp = (guildId: string): boolean => this.seqs.catchUp?.guildId === guildId;

  /** Whether a spectate of this guild would catch restored pools up (their seq is seeded). */
  readonly canCatchUp = (guildId: string): boolean => this.seqs.seeded.has(guildId);

  stateFor(tabId: string): SpectatingState {
    const pending = this.#inFlight || !this.#synced();
    return spectatingStateOf(this.#actual, this.#desired, this.#wanted, pending, tabId);
  }

  /** A tab asks for a guild (null: none). Resolves once the gateway answered the latest wish. */
  async spectate(tabId: string, guildId: string | null, includeLogs: boolean): Promise<void> {
    if (!this.#deps.authenticated()) throw this.#deps.loginNeeded("spectate");
    const before = { desired: this.#desired, wanted: this.#wanted.get(tabId) };
    const wish: Desired = { guildId, owner: tabId, includeLogs };
    this.#wanted.set(tabId, guildId);
    this.#desired = wish;
    this.#failedTarget = null;
    await this.#sync();
    if (this.#failures.has(wish)) {
      // Refused (403/404…): the connection keeps what it had; the tab's wish is undone.
      if (this.#desired === wish) this.#desired = before.desired;
      undoWanted(this.#wanted, tabId, before.wanted);
      this.changed.emit();
      // What was wished before (its presence, or a probe, may still be owed) is asked again.
      void this.#sync();
      throw this.#failures.get(wish);
    }
  }

  /** The tab became visible or focused: its wanted guild wins again. */
  async focus(tabId: string): Promise<void> {
    const wish = refocused(this.#desired, this.#wanted, tabId);
    if (!wish || !this.#deps.authenticated()) return;
    this.#desired = wish;
    this.#failedTarget = null;
    await this.#sync();
  }

  /** A tab resumes a guild's log stream after `since` (from a worker that ended): see `resumeLogsAt`. */
  resumeLogsFrom(guildId: string, since: number): string[] | number | null {
    const flowing = this.#actual.guildId === guildId && this.#actual.includeLogs && !this.#inFlight;
    return resumeLogsAt(this.seqs, guildId, since, flowing);
  }

  /**
   * Subscriptions changed: `include_logs` may have to follow the tabs' log subscriptions, `include_presence`
   * their views of the guild's members (or an online view waiting to learn whether the gateway has presence).
   */
  viewsChanged(): void {
    if (this.#deps.authenticated()) void this.#sync();
  }

  removeTab(tabId: string): void {
    this.#wanted.delete(tabId);
    if (this.#desired.owner === tabId) this.#desired = { ...this.#desired, owner: null };
    this.viewsChanged();
    this.changed.emit();
  }

  /** Whether a pushed frame of a guild may be taken: of the spectated or the asked guild (PROTOCOL.md). */
  accepts(guildId: string, stream: "pool" | "includeLogs" | "includePresence"): boolean {
    const ok = (t: Target | null) => t?.guildId === guildId && (stream === "pool" || t[stream]);
    return ok(this.#actual) || ok(this.#asking);
  }

  /** A presence frame, before it is applied (see `takePool`; a spectate on its way asks `since`). */
  takePresence(guildId: string, seq: number): "apply" | "duplicate" | "ahead" | "gap" {
    return this.#gapped(this.presence.take(guildId, seq, this.#asking?.guildId === guildId));
  }

  /** A presence frame was applied: its seq is held; a catch-up may be complete. */
  presenceApplied(guildId: string, seq: number): void {
    this.presence.applied(guildId, seq);
    this.#checkCaughtUp(guildId);
  }

  /** A pushed pool event, before it is applied (see `takePoolSeq`); a `gap` spectates the guild again. */
  takePool(guildId: string, seq: number): "apply" | "duplicate" | "ahead" | "gap" {
    return this.#gapped(takePoolSeq(this.seqs, guildId, seq, this.#asking?.guildId === guildId));
  }

  /** Spectates the guild again from the seqs held (frames were missed within one connection; devtools). */
  respectate(): void {
    this.#actual = noTarget();
    void this.#sync();
  }

  #gapped<T>(take: T | "gap"): T | "gap" {
    if (take === "gap") this.respectate();
    return take;
  }

  /** A pool event was applied: its seq is held; a catch-up may be complete. */
  poolApplied(guildId: string, seq: number): void {
    poolSeqApplied(this.seqs, guildId, seq);
    this.#checkCaughtUp(guildId);
  }

  #checkCaughtUp(guildId: string): void {
    if (caughtUp(this.seqs, guildId, this.presence)) this.#deps.caughtUp(guildId);
  }

  /** A log entry: true to deliver it, false for a seq already delivered. Runs for every entry. */
  readonly takeLog = (guild: string, seq: number, raw: string) => takeLogSeq(this.seqs, guild, seq, raw);

  /** Elevated (again): spectate what is wished for, replaying the gap since the last seqs. */
  resume(): void {
    this.#failedTarget = null;
    void this.#sync();
  }

  /** The session ended: the gateway left every room. */
  reset(keepWish: boolean): void {
    // Logs were flowing: when spectating again, replay the logs missed meanwhile too.
    resetSeqs(this.seqs, keepWish, this.#actual);
    this.#actual = noTarget();
    this.#asking = null;
    this.#logsRefused = null;
    this.#failedTarget = null;
    // The next connection may reach another gateway: whether it has presence is asked again.
    this.presence.support = "unknown";
    if (!keepWish) {
      this.#desired = noWish();
      this.#wanted.clear();
      this.presence.clear();
    }
    this.changed.emit();
  }

  #answered(answer: SpectateReturnPayload, asked: Target, since: Since): void {
    this.#inFlight = false;
    this.#asking = null;
    this.seqs.resumeLogs = null;
    this.#logsRefused = asked.includeLogs && !answer.include_logs ? answer.guild_id : null;
    this.#actual = answeredTarget(answer, asked, this.presence);
    this.batchMs = answer.batch_ms ?? null;
    if (answer.guild_id === null) return;
    applyAnswer(answer as GuildAnswer, since, this.#actual, this.seqs, this.presence, this.#deps);
  }

  #target(): Target {
    return targetOf(this.#desired, this.presence.support, this.#deps);
  }

  #synced(): boolean {
    return isSynced(this.#target(), this.#actual, this.#failedTarget, this.#logsRefused);
  }

  /** Runs the spectate loop (one at a time); resolves when the latest wish is answered. */
  #sync(): Promise<void> {
    if (!this.#running) {
      this.#running = true;
      this.#loop = this.#run();
    }
    return this.#loop;
  }

  async #run(): Promise<void> {
    // One spectate at a time; when it is answered the latest wish is compared again. The loop
    // gives up its slot in the same synchronous step that finds nothing to do, so no wish is lost.
    for (;;) {
      if (this.#synced() || !this.#deps.authenticated()) {
        // Nothing on its way any more (a wait for a cache read may have ended here).
        this.#inFlight = false;
        this.#asking = null;
        this.#running = false;
        return;
      }
      const wish = this.#desired;
      const target = this.#target();
      const restoring = target.guildId !== null ? this.#deps.restoring(target.guildId) : null;
      if (restoring) {
        // Frames of the guild are taken meanwhile, as while the spectate itself is on its way.
        this.#inFlight = true;
        this.#asking = target;
        await restoring;
        continue;
      }
      // A copy: takeLog and seed change the held seqs in place while the spectate is on its way.
      const since = sinceOf(this.seqs, target, this.presence);
      this.#inFlight = true;
      this.#asking = target;
      this.changed.emit();
      const batchMs = this.#deps.batchMs();
      try {
        await this.#deps.requests.send(
          spectateRequest(target, batchMs, since, (answer) => this.#answered(answer, target, since)),
        );
      } catch (error) {
        this.#inFlight = false;
        this.#asking = null;
        this.#failures.set(wish, error);
        // Not asked again in a loop: a new wish, a focus or the next elevation tries again.
        this.#failedTarget = target;
        this.changed.emit();
        if (loginLost(error)) {
          this.#running = false;
          return;
        }
        continue;
      }
      this.changed.emit();
    }
  }
}
