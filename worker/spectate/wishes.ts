/** The guild the connection should spectate, and the tab that asked for it last. */
export interface Wish {
  readonly guildId: string | null;
  readonly owner: string | null;
  readonly includeLogs: boolean;
}

/** The wishes as they were, to put back when a login that reset them fails. */
export interface SavedWishes {
  desired: Wish;
  wanted: [string, string | null][];
}

const NONE: Wish = { guildId: null, owner: null, includeLogs: true };

/**
 * Which tab's guild wins (pure, no I/O): the latest `spectate()` of any tab, or the wanted guild
 * of a tab that becomes visible. Each wish is a new object, so a spectate's outcome can be
 * matched to the wish that caused it.
 */
export class Wishes {
  #desired: Wish = NONE;
  readonly #wanted = new Map<string, string | null>();

  get desired(): Wish {
    return this.#desired;
  }

  /** The guild this tab asked for last (null: none, or never asked). */
  wantedBy(tabId: string): string | null {
    return this.#wanted.get(tabId) ?? null;
  }

  /** A tab asks for a guild: it wins. Returns the wish and how to undo it (if it is refused). */
  wish(tabId: string, guildId: string | null, includeLogs: boolean): { wish: Wish; undo: () => void } {
    const before = { desired: this.#desired, wanted: this.#wanted.get(tabId) };
    const wish: Wish = { guildId, owner: tabId, includeLogs };
    this.#wanted.set(tabId, guildId);
    this.#desired = wish;
    const undo = () => {
      if (this.#desired === wish) this.#desired = before.desired;
      if (before.wanted === undefined) this.#wanted.delete(tabId);
      else this.#wanted.set(tabId, before.wanted);
    };
    return { wish, undo };
  }

  /** The tab became visible or focused: its wanted guild wins again. False: nothing changed. */
  focus(tabId: string): boolean {
    if (!this.#wanted.has(tabId)) return false;
    const guildId = this.#wanted.get(tabId) ?? null;
    if (this.#desired.guildId === guildId && this.#desired.owner === tabId) return false;
    this.#desired = { ...this.#desired, guildId, owner: tabId };
    return true;
  }

  /** The tab left: its wish stays, owned by nobody. */
  remove(tabId: string): void {
    this.#wanted.delete(tabId);
    if (this.#desired.owner === tabId) this.#desired = { ...this.#desired, owner: null };
  }

  save(): SavedWishes {
    return { desired: this.#desired, wanted: [...this.#wanted] };
  }

  restore(saved: SavedWishes): void {
    this.#desired = saved.desired;
    this.#wanted.clear();
    for (const [tabId, guildId] of saved.wanted) this.#wanted.set(tabId, guildId);
  }

  clear(): void {
    this.#desired = NONE;
    this.#wanted.clear();
  }
}
