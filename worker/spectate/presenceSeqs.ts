/** Whether the gateway has presence (PROTOCOL.md Extension 2), as its answers to spectates say. */
export type PresenceSupport = "unknown" | "supported" | "unsupported";

/**
 * The presence seqs of the guilds the worker has held presence of (Extension 2): the last frame
 * applied per guild, or the seq of a restored copy that a spectate can catch up from (`since`).
 * Pure bookkeeping, beside the spectator's pool and log seqs.
 */
export class PresenceSeqs {
  readonly #seqs = new Map<string, number>();
  /** Guilds whose seq comes from copies (a snapshot or the cache), not from a flow. */
  readonly #seeded = new Set<string>();
  /** What the gateway said it can do (unknown until a spectate asked for presence was answered). */
  support: PresenceSupport = "unknown";

  /** The last presence seq of a guild (undefined: none known). */
  of(guildId: string): number | undefined {
    return this.#seqs.get(guildId);
  }

  /** A copy of the guild's presence at `seq`: the next spectate asks for what came after (the oldest wins). */
  seed(guildId: string, seq: number): void {
    const held = this.#seqs.get(guildId);
    if (held === undefined) {
      this.#seqs.set(guildId, seq);
      this.#seeded.add(guildId);
    } else if (this.#seeded.has(guildId)) this.#seqs.set(guildId, Math.min(held, seq));
  }

  /**
   * A presence frame of the guild, before it is applied: `apply`, `duplicate` (in already),
   * `ahead` (a spectate of the guild is on its way, asking `since` what is held: its replay
   * brings it in order) or `gap`.
   */
  take(guildId: string, seq: number, asking: boolean): "apply" | "duplicate" | "ahead" | "gap" {
    const held = this.#seqs.get(guildId);
    if (held === undefined) return "apply";
    if (seq <= held) return "duplicate";
    if (seq === held + 1) return "apply";
    return asking ? "ahead" : "gap";
  }

  /** A frame was applied. */
  applied(guildId: string, seq: number): void {
    this.#seqs.set(guildId, seq);
  }

  /**
   * The answer to a spectate with presence: from here frames flow. Returns the seq they flow
   * from: `since` when it is replayed, else the gateway's seq. Frames taken before the answer
   * (overtaking it) are kept, unless the gap could not be replayed (`replayed` -1: a restarted
   * gateway counts from 0 again).
   */
  flowing(guildId: string, since: number | undefined, replayed: number, gatewaySeq: number): number {
    this.#seeded.delete(guildId);
    const from = since !== undefined && replayed !== -1 ? since : gatewaySeq;
    const taken = replayed === -1 ? undefined : this.#seqs.get(guildId);
    this.#seqs.set(guildId, Math.max(taken ?? 0, from));
    return from;
  }

  /** Forgets every guild (another user, a logout). */
  clear(): void {
    this.#seqs.clear();
    this.#seeded.clear();
  }
}
