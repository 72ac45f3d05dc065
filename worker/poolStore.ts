import type { Entity, PoolType } from "../src/protocol";
import { initialPoolMeta, reducePool, type PoolAction, type PoolChange, type PoolMeta } from "./poolReducer";
import { Signal, type Disposer } from "./signal";

/** Key of a pool: its type and, for guild pools, its guild. */
export const poolKey = (type: PoolType, guildId: string | null): string => `${type}|${guildId ?? ""}`;

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
  /** Called after every change (the pools schedule a cache write); not a listener. */
  afterChange: ((store: PoolStore) => void) | null = null;
  /** Emitted when a restore attempt ends (found or not): subscriptions then load what is missing. */
  readonly restoreDone = new Signal<void>();

  constructor(
    readonly type: PoolType,
    readonly guildId: string | null,
  ) {}

  get meta(): PoolMeta {
    return this.metaState;
  }

  get key(): string {
    return poolKey(this.type, this.guildId);
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
