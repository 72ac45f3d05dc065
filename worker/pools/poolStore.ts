import type { Entity, LogPresencePayload, PoolType } from "../../src/protocol";
import { initialPoolMeta, reducePool, type PoolAction, type PoolChange, type PoolMeta } from "./poolReducer";
import { Signal, type Disposer } from "../signal";

/** A view of a pool other than all of it: `online`, a guild's online members (Extension 2). */
export type PoolView = "online";

/** Key of a pool: its type, for guild pools its guild, and its view. */
export const poolKey = (type: PoolType, guildId: string | null, view: PoolView | null = null): string =>
  `${type}|${guildId ?? ""}|${view ?? ""}`;

/**
 * The worker's copy of one pool (type, guild): entities by id, the ids known not to exist,
 * and its meta. Every change goes through {@link reducePool} and is announced to listeners.
 */
export class PoolStore {
  readonly entities = new Map<string, Entity>();
  readonly nonexistent = new Set<string>();
  private metaState: PoolMeta = initialPoolMeta;
  private readonly changes = new Signal<PoolChange>();
  /** Bumped at every reset: answers to requests made before it are dropped. */
  generation = 0;
  /** The cache was asked for this pool (once per generation and partition). */
  restoreTried = false;
  /** A read of the cache under way: loads wait for it. */
  restoring: Promise<void> | null = null;
  /** A refetch of a restored partial pool is under way. */
  refetching = false;
  /** For a restored guild pool: the `log_pool` seq its cached copy reflects. */
  restoredSeq: number | null = null;
  /**
   * Member pools: the presence seq the statuses of its entities reflect (null: unknown, e.g.
   * loaded while its guild's presence did not flow). Presence frames above it apply.
   */
  presenceSeq: number | null = null;
  /** The online view while its snapshot streams in: presence frames wait here (applied on top once in). */
  presenceBuffer: LogPresencePayload[] | null = null;
  /** When it last changed (ms since epoch; set by the pools), for diagnostics. */
  updatedAt: number | null = null;
  /** Called after every change (the pools schedule a cache write); not a listener. */
  afterChange: ((store: PoolStore) => void) | null = null;
  /** Emitted when a restore attempt ends (found or not): subscriptions then load what is missing. */
  readonly restoreDone = new Signal<void>();

  constructor(
    readonly type: PoolType,
    readonly guildId: string | null,
    readonly view: PoolView | null = null,
  ) {}

  get meta(): PoolMeta {
    return this.metaState;
  }

  get key(): string {
    return poolKey(this.type, this.guildId, this.view);
  }

  /** A pool of members (all, by id, or the online view): presence changes concern it. */
  get ofMembers(): boolean {
    return this.type === "member" && this.guildId !== null;
  }

  get listeners(): number {
    return this.changes.size;
  }

  dispatch(action: PoolAction): PoolChange {
    const change = reducePool(this.metaState, action);
    if (change.reset) {
      this.generation++;
      this.entities.clear();
      this.nonexistent.clear();
      this.restoreTried = false;
      this.restoredSeq = null;
      this.presenceSeq = null;
      this.presenceBuffer = null;
    }
    for (const entity of change.upsert) {
      this.entities.set(entity.id, entity);
      this.nonexistent.delete(entity.id);
    }
    for (const id of change.remove) this.entities.delete(id);
    for (const id of change.nonexistent) {
      this.entities.delete(id);
      this.nonexistent.add(id);
    }
    let meta = change.meta;
    if (meta.complete) meta = { ...meta, loaded: this.entities.size, total: this.entities.size };
    this.metaState = meta;
    const settled = { ...change, meta };
    this.changes.emit(settled);
    this.afterChange?.(this);
    return settled;
  }

  listen(listener: (change: PoolChange) => void): Disposer {
    return this.changes.listen(listener);
  }
}
