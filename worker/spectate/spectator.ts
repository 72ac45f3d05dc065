import type { SpectateReturnPayload } from "../../src/protocol";
import { GatewayError, type LogGap, type SpectatingState } from "../../src/shared";
import { PresenceSeqs } from "./presenceSeqs";
import type { Requests } from "../gateway/requests";
import { Signal } from "../signal";

interface Desired {
  guildId: string | null;
  owner: string | null;
  includeLogs: boolean;
}

/** What a spectate asks for: a guild (or none), its logs, its presence. */
interface Target {
  guildId: string | null;
  includeLogs: boolean;
  includePresence: boolean;
}

/** What the spectator needs from the hub: the requests, the tabs' views, the pools. */
interface SpectatorDeps {
  requests: Requests;
  /** Whether some tab subscribes to this guild's logs now. */
  logsWanted(guildId: string): boolean;
  /** The gap since the last seen pool event cannot be replayed: drop the guild's pools. */
  invalidateGuild(guildId: string): void;
  authenticated(): boolean;
  /** Why a spectate cannot go while not authenticated (`session_expired` after an expiry). */
  loginNeeded(what: string): GatewayError;
  /** The guild's pools have every update up to the gateway's seq (a replay was applied). */
  caughtUp(guildId: string): void;
  /**
   * Pools of the guild being restored from the cache (null: none): the spectate waits for
   * them, so it can ask for what came after their copies (`since`) instead of reloading.
   */
  restoring(guildId: string): Promise<void> | null;
  /** Log entries that were flowing cannot be replayed: the log subscribers are told. */
  logsGap(gap: LogGap): void;
  /** The batching window to ask the gateway for (Extension 1; 0 or absent: single frames). */
  batchMs(): number;
  /**
   * Whether some tab views this guild's members (Extension 2: presence is asked for); with
   * null, whether some tab waits to learn if the gateway has presence (an online view).
   */
  presenceWanted(guildId: string | null): boolean;
  /**
   * Presence frames of the guild flow from `fromSeq` on (every later frame will be applied):
   * member pools whose statuses are older, or of unknown age, are to be fetched again.
   */
  presenceFlow(guildId: string, fromSeq: number): void;
}

/**
 * The one spectated guild of the connection. The latest `spectate()` of any tab wins; a tab
 * that becomes visible takes its wanted guild back; `include_logs` follows whether any tab
 * subscribes to that guild's logs. Tracks seqs so a re-spectate replays what was missed.
 */
export class Spectator {
  #desired: Desired = { guildId: null, owner: null, includeLogs: true };
  #actual: Target = { guildId: null, includeLogs: false, includePresence: false };
  readonly #wanted = new Map<string, string | null>();
  readonly #seqs = new Map<string, { pool: number; logs: number }>();
  /** Guilds whose seq comes from restored pools (not yet spectated): a spectate catches them up. */
  readonly #seeded = new Set<string>();
  /** The spectate on its way: frames of its guild are taken before its answer. */
  #asking: Target | null = null;
  /**
   * After a replaying answer: the pool seq (and presence seq, when presence was replayed too) at
   * which the guild's pools are current again.
   */
  #catchUp: { guildId: string; seq: number; presence: number | null } | null = null;
  /** Presence seqs per guild and whether the gateway has presence (Extension 2). */
  readonly presence = new PresenceSeqs();
  #inFlight = false;
  /** The guild whose logs were flowing when the session or connection dropped: resumed with `since.logs`. */
  #resumeLogs: string | null = null;
  /**
   * Per guild, the seq after which tabs resume its log stream (their `since`, from a worker that
   * ended): the next spectate with logs asks for what came after.
   */
  readonly #logsSince = new Map<string, number>();
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
   * Whether member loads of a guild should wait: its presence is about to flow (the guild is
   * wished, the gateway may have presence, the spectate asking for it is not answered yet), and a
   * load answered before it would miss the frames in between. False once it flows or failed.
   */
  presencePending(guildId: string): boolean {
    return (
      this.#desired.guildId === guildId &&
      this.#failedTarget?.guildId !== guildId &&
      this.presenceAt(guildId) === null &&
      this.#target().includePresence
    );
  }

  /** The last pool seq applied for a guild (null: never spectated, nor restored). */
  poolSeqOf(guildId: string): number | null {
    return this.#seqs.get(guildId)?.pool ?? null;
  }

  /**
   * Pools of a guild were restored from a copy at `seq`: the first spectate of that guild asks
   * for what came after (`since`), instead of reloading them. Several copies: the oldest wins.
   */
  seed(guildId: string, seq: number): void {
    const seqs = this.#seqs.get(guildId);
    if (!seqs) {
      this.#seqs.set(guildId, { pool: seq, logs: 0 });
      this.#seeded.add(guildId);
    } else if (this.#seeded.has(guildId)) seqs.pool = Math.min(seqs.pool, seq);
  }

  /** What tabs asked to spectate, to put back when a login that reset it fails. */
  saveWishes(): { desired: Desired; wanted: [string, string | null][] } {
    return { desired: this.#desired, wanted: [...this.#wanted] };
  }

  restoreWishes(saved: { desired: Desired; wanted: [string, string | null][] }): void {
    this.#desired = saved.desired;
    this.#wanted.clear();
    for (const [tabId, guildId] of saved.wanted) this.#wanted.set(tabId, guildId);
    this.changed.emit();
  }

  /** Whether the last spectate of this guild failed (it is not asked again until something changes). */
  failedFor(guildId: string): boolean {
    return this.#failedTarget?.guildId === guildId;
  }

  /** Whether a replay into this guild's pools is still being applied. */
  catchingUp(guildId: string): boolean {
    return this.#catchUp?.guildId === guildId;
  }

  /** Whether a spectate of this guild would catch restored pools up (their seq is seeded). */
  canCatchUp(guildId: string): boolean {
    return this.#seeded.has(guildId);
  }

  stateFor(tabId: string): SpectatingState {
    return {
      guildId: this.#actual.guildId,
      includeLogs: this.#actual.includeLogs,
      pending: this.#inFlight || !this.#synced(),
      mine: this.#desired.owner === tabId && this.#desired.guildId === this.#actual.guildId,
      wanted: this.#wanted.get(tabId) ?? null,
    };
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
      if (before.wanted === undefined) this.#wanted.delete(tabId);
      else this.#wanted.set(tabId, before.wanted);
      this.changed.emit();
      // What was wished before (its presence, or a probe, may still be owed) is asked again.
      void this.#sync();
      throw this.#failures.get(wish);
    }
  }

  /** The tab became visible or focused: its wanted guild wins again. */
  async focus(tabId: string): Promise<void> {
    if (!this.#wanted.has(tabId) || !this.#deps.authenticated()) return;
    const guildId = this.#wanted.get(tabId) ?? null;
    if (this.#desired.guildId === guildId && this.#desired.owner === tabId) return;
    this.#desired = { ...this.#desired, guildId, owner: tabId };
    this.#failedTarget = null;
    await this.#sync();
  }

  /**
   * A tab resumes a guild's log stream after `since` (it came from a worker that ended). Before
   * the guild's logs flow here, the spectate asks for what came after the lowest such seq;
   * once they flow, returns the seq they flow from when that is later (entries between are
   * missed by that tab), else null.
   */
  resumeLogsFrom(guildId: string, since: number): number | null {
    const flowing = this.#actual.guildId === guildId && this.#actual.includeLogs && !this.#inFlight;
    const from = this.#seqs.get(guildId)?.logs;
    if (flowing && from !== undefined) return since < from ? from : null;
    this.#logsSince.set(guildId, Math.min(since, this.#logsSince.get(guildId) ?? since));
    return null;
  }

  /**
   * Subscriptions changed: `include_logs` may have to follow the tabs' log subscriptions, and
   * `include_presence` their views of the guild's members (or an online view waiting to learn
   * whether the gateway has presence).
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

  /**
   * Whether a pushed frame of a guild may be taken: the spectated guild's, or the guild being
   * asked for (its replay, or live frames, may come before the answer: PROTOCOL.md).
   */
  accepts(guildId: string, stream: "pool" | "includeLogs" | "includePresence"): boolean {
    const ok = (t: Target | null) => t?.guildId === guildId && (stream === "pool" || t[stream]);
    return ok(this.#actual) || ok(this.#asking);
  }

  /** A presence frame, before it is applied (see `takePool`). */
  takePresence(guildId: string, seq: number): "apply" | "duplicate" | "ahead" | "gap" {
    // A spectate of the guild on its way asks `since` what is held: its replay brings the rest.
    const take = this.presence.take(guildId, seq, this.#asking?.guildId === guildId);
    if (take === "gap") this.#respectate();
    return take;
  }

  /** A presence frame was applied: its seq is held; a catch-up may be complete. */
  presenceApplied(guildId: string, seq: number): void {
    this.presence.applied(guildId, seq);
    this.#checkCaughtUp(guildId);
  }

  /**
   * A pushed pool event, before it is applied: `apply` it; drop it as a `duplicate` (its seq is
   * in already: a replay meeting live frames); drop it as `ahead` (a spectate with `since` is on
   * its way, and its replay brings every seq after what is held, this one included, in order);
   * or `gap` (updates missed within one connection: not applied, the guild is spectated again
   * from what is held).
   */
  takePool(guildId: string, seq: number): "apply" | "duplicate" | "ahead" | "gap" {
    const seqs = this.#seqs.get(guildId);
    if (!seqs) return "apply";
    if (seq <= seqs.pool) return "duplicate";
    if (seq === seqs.pool + 1) return "apply";
    if (this.#asking?.guildId === guildId) return "ahead";
    this.#respectate();
    return "gap";
  }

  /** Frames were missed within one connection: the guild is spectated again from what is held. */
  #respectate(): void {
    this.#actual = { guildId: null, includeLogs: false, includePresence: false };
    void this.#sync();
  }

  /** A pool event was applied: its seq is held; a catch-up may be complete. */
  poolApplied(guildId: string, seq: number): void {
    const seqs = this.#seqs.get(guildId);
    this.#seqs.set(guildId, { pool: seq, logs: seqs?.logs ?? 0 });
    this.#checkCaughtUp(guildId);
  }

  /** A replay into the guild's pools is complete once both its pool and presence seqs are reached. */
  #checkCaughtUp(guildId: string): void {
    const target = this.#catchUp;
    if (!target || target.guildId !== guildId) return;
    if ((this.#seqs.get(guildId)?.pool ?? 0) < target.seq) return;
    if (target.presence !== null && (this.presence.of(guildId) ?? 0) < target.presence) return;
    this.#catchUp = null;
    this.#deps.caughtUp(guildId);
  }

  /** A log entry: true to deliver it, false for a seq already delivered. Runs for every entry. */
  takeLog(guildId: string, seq: number): boolean {
    const seqs = this.#seqs.get(guildId);
    if (!seqs) this.#seqs.set(guildId, { pool: 0, logs: seq });
    else if (seq > seqs.logs) seqs.logs = seq;
    else return false;
    return true;
  }

  /** Elevated (again): spectate what is wished for, replaying the gap since the last seqs. */
  resume(): void {
    this.#failedTarget = null;
    void this.#sync();
  }

  /** The session ended: the gateway left every room. */
  reset(keepWish: boolean): void {
    // Logs were flowing: when spectating again, replay the logs missed meanwhile too.
    if (!keepWish) this.#resumeLogs = null;
    else if (this.#actual.includeLogs) this.#resumeLogs = this.#actual.guildId;
    this.#actual = { guildId: null, includeLogs: false, includePresence: false };
    this.#asking = null;
    this.#logsRefused = null;
    this.#failedTarget = null;
    // The next connection may reach another gateway: whether it has presence is asked again.
    this.presence.support = "unknown";
    if (!keepWish) {
      this.#desired = { guildId: null, owner: null, includeLogs: true };
      this.#wanted.clear();
      this.#seqs.clear();
      this.#seeded.clear();
      this.presence.clear();
    }
    this.#catchUp = null;
    this.changed.emit();
  }

  #applyAnswer(
    answer: SpectateReturnPayload,
    asked: Target,
    known: { pool: number; logs: number } | undefined,
    logsFrom: number | undefined,
    presenceSince: number | undefined,
  ): void {
    this.#inFlight = false;
    this.#asking = null;
    this.#resumeLogs = null;
    this.#logsRefused = asked.includeLogs && !answer.include_logs ? answer.guild_id : null;
    // Extension 2: asked and not echoed means the gateway has no presence (never guessed).
    const presence = asked.includePresence && answer.include_presence === true;
    if (asked.includePresence) this.presence.support = presence ? "supported" : "unsupported";
    this.#actual = { guildId: answer.guild_id, includeLogs: answer.include_logs, includePresence: presence };
    this.batchMs = answer.batch_ms ?? null;
    if (answer.guild_id === null) return;
    this.#seeded.delete(answer.guild_id);
    if (answer.include_logs) this.#logsSince.delete(answer.guild_id);
    const replayedAll = known !== undefined && answer.replayed !== -1;
    if (known && answer.replayed === -1) this.#deps.invalidateGuild(answer.guild_id);
    if (answer.replayed === -1 && logsFrom !== undefined) {
      const restarted = answer.logs_seq < logsFrom;
      this.#deps.logsGap({
        guildId: answer.guild_id,
        reason: restarted ? "gateway_restart" : "history_lost",
        afterSeq: logsFrom,
        untilSeq: restarted ? null : answer.logs_seq,
      });
    }
    // Replayed frames follow this answer and advance the seqs themselves.
    // Pools of this guild loaded before any spectate missed what happened in between: reload.
    if (!known) this.#deps.invalidateGuild(answer.guild_id);
    // Frames taken before this answer (a replay sent first, live frames overtaking it) already
    // advanced the seqs: keep the furthest. A gap too old to replay starts over from the answer
    // (a restarted gateway counts from 0 again).
    const taken = answer.replayed === -1 ? undefined : this.#seqs.get(answer.guild_id);
    this.#seqs.set(answer.guild_id, {
      pool: Math.max(taken?.pool ?? 0, replayedAll ? known.pool : answer.pool_seq),
      logs: Math.max(
        taken?.logs ?? 0,
        answer.replayed !== -1 && logsFrom !== undefined ? logsFrom : answer.logs_seq,
      ),
    });
    // Presence frames flow from here (after the replay of what `since` missed, if asked).
    let presenceTarget: number | null = null;
    if (presence) {
      const gatewaySeq = answer.presence_seq ?? 0;
      const from = this.presence.flowing(answer.guild_id, presenceSince, answer.replayed, gatewaySeq);
      if (presenceSince !== undefined && answer.replayed !== -1) presenceTarget = gatewaySeq;
      this.#deps.presenceFlow(answer.guild_id, from);
    }
    // What the replay brings makes the guild's restored pools current once it is all applied.
    if (replayedAll) {
      this.#catchUp = { guildId: answer.guild_id, seq: answer.pool_seq, presence: presenceTarget };
      this.#checkCaughtUp(answer.guild_id);
    }
  }

  #target(): Target {
    const guildId = this.#desired.guildId;
    const includeLogs = guildId !== null && this.#desired.includeLogs && this.#deps.logsWanted(guildId);
    // Presence while a tab views the guild's members, or (any guild, none too) to learn whether
    // the gateway has it while an online view waits to know; never once it said it has not.
    const support = this.presence.support;
    const includePresence =
      support !== "unsupported" &&
      ((guildId !== null && this.#deps.presenceWanted(guildId)) ||
        (support === "unknown" && this.#deps.presenceWanted(null)));
    return { guildId, includeLogs, includePresence };
  }

  #synced(): boolean {
    const t = this.#target();
    const failed = this.#failedTarget;
    if (
      failed &&
      failed.guildId === t.guildId &&
      failed.includeLogs === t.includeLogs &&
      failed.includePresence === t.includePresence
    )
      return true;
    if (t.guildId !== this.#actual.guildId) return false;
    // No guild: presence only matters while the gateway's support is still to be learnt.
    if (
      t.guildId === null
        ? t.includePresence && !this.#actual.includePresence
        : t.includePresence !== this.#actual.includePresence
    )
      return false;
    return t.includeLogs === this.#actual.includeLogs || (t.includeLogs && this.#logsRefused === t.guildId);
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
      const held = target.guildId !== null ? this.#seqs.get(target.guildId) : undefined;
      const known = held ? { ...held } : undefined;
      const presenceSince =
        target.includePresence && target.guildId !== null ? this.presence.of(target.guildId) : undefined;
      const logsFrom = !target.includeLogs
        ? undefined
        : this.#resumeLogs === target.guildId && known
          ? known.logs
          : target.guildId !== null
            ? this.#logsSince.get(target.guildId)
            : undefined;
      this.#inFlight = true;
      this.#asking = target;
      this.changed.emit();
      const batchMs = this.#deps.batchMs();
      try {
        await this.#deps.requests.send<"spectate", SpectateReturnPayload>({
          event: "spectate",
          needsAuth: true,
          retry: false,
          build: (_id, token) => ({
            _id,
            token: token ?? "",
            guild_id: target.guildId,
            include_logs: target.includeLogs,
            ...(batchMs > 0 ? { batch_ms: batchMs } : {}),
            ...(target.includePresence ? { include_presence: true } : {}),
            ...(known || logsFrom !== undefined || presenceSince !== undefined
              ? {
                  since: {
                    ...(known ? { pool: known.pool } : {}),
                    ...(logsFrom !== undefined ? { logs: logsFrom } : {}),
                    ...(presenceSince !== undefined ? { presence: presenceSince } : {}),
                  },
                }
              : {}),
          }),
          // Applied in the frame's own task: replayed frames right behind it must find it done.
          collect: (event, payload) => {
            if (event !== "spectate_return") return { done: false };
            const answer = payload as SpectateReturnPayload;
            // An answer that is no success, or for another guild than asked, changes nothing
            // (it fails the request bad_frame; applied, it would loop on re-sending).
            if (!answer.success || answer.guild_id !== target.guildId)
              throw new Error(`no success for guild ${target.guildId}`);
            this.#applyAnswer(answer, target, known, logsFrom, presenceSince);
            return { done: true, value: payload as SpectateReturnPayload };
          },
        });
      } catch (error) {
        this.#inFlight = false;
        this.#asking = null;
        this.#failures.set(wish, error);
        // Not asked again in a loop: a new wish, a focus or the next elevation tries again.
        this.#failedTarget = target;
        this.changed.emit();
        if (
          error instanceof GatewayError &&
          (error.code === "not_authenticated" || error.code === "session_expired")
        ) {
          this.#running = false;
          return;
        }
        continue;
      }
      this.changed.emit();
    }
  }
}
