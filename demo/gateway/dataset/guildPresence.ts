import type { Member, PresenceStatus, Snowflake } from "../../../src/protocol";
import type { Random } from "./random";

/** A status of someone online (any but `offline`). */
export type OnlineStatus = Exclude<PresenceStatus, "offline">;

/**
 * Who of one guild is online, and how (PROTOCOL.md Extension 2); every other member is offline.
 * Status, change and a uniformly random online member are O(1), so churn of thousands of
 * changes a second over a 50,000-member guild costs next to nothing.
 */
export class GuildPresence {
  private readonly statuses = new Map<Snowflake, OnlineStatus>();
  /** The online ids, in no order, for random picks (removal swaps the last one in). */
  private readonly ids: Snowflake[] = [];
  private readonly index = new Map<Snowflake, number>();

  /** The member's status (`offline` for anyone not online, members or not). */
  statusOf(id: Snowflake): PresenceStatus {
    return this.statuses.get(id) ?? "offline";
  }

  /** Sets the member's status; `offline` takes them out. */
  set(id: Snowflake, status: PresenceStatus): void {
    if (status === "offline") {
      if (!this.statuses.delete(id)) return;
      const at = this.index.get(id) as number;
      const last = this.ids.pop() as Snowflake;
      this.index.delete(id);
      if (last !== id) {
        this.ids[at] = last;
        this.index.set(last, at);
      }
      return;
    }
    if (!this.statuses.has(id)) {
      this.index.set(id, this.ids.length);
      this.ids.push(id);
    }
    this.statuses.set(id, status);
  }

  /** Members online now. */
  get size(): number {
    return this.statuses.size;
  }

  /** The online members and their statuses. */
  online(): IterableIterator<[Snowflake, OnlineStatus]> {
    return this.statuses.entries();
  }

  /** A uniformly chosen online member, or undefined when nobody is online; draws one number. */
  randomOnline(rng: Random): Snowflake | undefined {
    if (this.ids.length === 0) return undefined;
    return this.ids[rng.int(0, this.ids.length - 1)];
  }

  /** Forgets everyone (a node's copy about to be replaced by a snapshot). */
  clear(): void {
    this.statuses.clear();
    this.ids.length = 0;
    this.index.clear();
  }
}

/** The member as a gateway with the extension sends it: its presence status added. */
export const withStatus = (member: Member, presence: GuildPresence): Member => ({
  ...member,
  status: presence.statusOf(member.id),
});

/** A status for someone coming online: mostly `online`, some `idle`, a few `dnd`. */
export function randomOnlineStatus(rng: Random): OnlineStatus {
  const roll = rng.next();
  return roll < 0.65 ? "online" : roll < 0.9 ? "idle" : "dnd";
}
