import type { Observable, Unsubscribable } from "rxjs";
import type { GatewayClient } from "../client/connectGateway";
import type { PoolSnapshot } from "../client/poolSnapshot";
import type { Entity } from "../protocol/entities";
import type { Cancel, Clock } from "../shared/clock";
import { GatewayError, type ErrorInfo } from "../shared/GatewayError";
import type { LogBatch } from "../shared/tabProtocol";
import { gatewayActions } from "./gatewayActions";
import { nextRequestId } from "./requestLifecycle";
import type { StreamQueue } from "./streamQueue";
import { isLogsSpec, poolKey, type NormalizedPoolSpec, type NormalizedStreamSpec } from "./streamSpec";
import type { PoolPatch } from "./streamUpdate";

/** What the registry needs from the middleware. */
export interface StreamRegistryOptions {
  /** The client (created on first use); throws when it cannot be created. */
  client(): GatewayClient;
  /** Where stream changes go (one action per task). */
  queue: StreamQueue;
  /** Dispatches an action at once, after what is queued. */
  dispatchNow(action: object): void;
  /** How long a spec nobody subscribes to stays subscribed (0: it ends at once). */
  keepUnusedForMs: number;
  /** Timers of the linger. */
  clock: Pick<Clock, "setTimeout">;
  /** Told about a release of a spec that is not subscribed (ignored). */
  warn(message: string): void;
}

/** The middleware's ref-counted client subscriptions, one per spec. */
export interface StreamRegistry {
  /** One more reference: the first opens the client subscription; within the linger, it stays. */
  subscribe(spec: NormalizedStreamSpec): void;
  /** One reference less: the last one ends it after the linger. More releases than subscribes are ignored. */
  release(spec: NormalizedStreamSpec): void;
  /** The next snapshot of every pool is taken whole (the store's copy was cleared). */
  takeWhole(): void;
  /** Specs currently subscribed or lingering (for tests and diagnostics). */
  size(): number;
}

interface Entry {
  readonly key: string;
  readonly spec: NormalizedStreamSpec;
  refs: number;
  /** Logs: the limits of the references held; `limit` is the window's (the largest). */
  limits: number[];
  limit: number;
  subscription: Unsubscribable | null;
  linger: Cancel | null;
  /** Take the next snapshot whole (the first one of a subscription, after a clear). */
  whole: boolean;
  /** A pool's first load not settled yet: its requestId. */
  pending: string | null;
  failed: boolean;
}

const entryKey = (spec: NormalizedStreamSpec) => (isLogsSpec(spec) ? `logs|${spec.logs}` : poolKey(spec));
const CLOSED: ErrorInfo = { code: "closed", message: "released before its first load" };
const LOAD_FAILED: ErrorInfo = { code: 500, message: "the pool failed to load" };

/** A snapshot as plain data: its changes, or the whole of it (`whole`, or a by-id spec). */
function toPatch(snapshot: PoolSnapshot<Entity>, whole: boolean, byId: boolean): PoolPatch {
  const reset = whole || byId || snapshot.changes.reset;
  return {
    reset,
    upserted: reset ? snapshot.entities : snapshot.changes.upserted,
    removed: reset ? [] : snapshot.changes.removed,
    order: byId ? snapshot.entities.map((e) => e.id) : null,
    nonexistent: snapshot.nonexistent,
    status: snapshot.status,
    loaded: snapshot.loaded,
    total: snapshot.total,
    stale: snapshot.stale,
    source: snapshot.source,
    error: snapshot.error ? GatewayError.info(snapshot.error) : null,
    savedAt: snapshot.savedAt,
  };
}

function poolObservable(client: GatewayClient, spec: NormalizedPoolSpec): Observable<PoolSnapshot<Entity>> {
  const handle = client.pool(spec.pool, spec.guildId === null ? {} : { guildId: spec.guildId });
  const observable =
    spec.view === "online" ? handle.online$() : spec.ids ? handle.entities$(spec.ids) : handle.all$();
  return observable as Observable<PoolSnapshot<Entity>>;
}

/** Ref-counted client subscriptions with a linger, turning their values into stream changes. */
export function createStreamRegistry(options: StreamRegistryOptions): StreamRegistry {
  const { queue } = options;
  const entries = new Map<string, Entry>();
  const live = (entry: Entry) => entries.get(entry.key) === entry;

  const settle = (entry: Entry, spec: NormalizedPoolSpec, outcome: PoolSnapshot<Entity> | ErrorInfo) => {
    const requestId = entry.pending;
    if (requestId === null) return;
    entry.pending = null;
    queue.after(
      "status" in outcome
        ? gatewayActions.pool.fulfilled(requestId, spec, {
            entities: outcome.entities,
            loaded: outcome.loaded,
            total: outcome.total,
            source: outcome.source,
            stale: outcome.stale,
            savedAt: outcome.savedAt,
          })
        : gatewayActions.pool.rejected(requestId, spec, outcome, outcome === CLOSED),
    );
  };

  const fail = (entry: Entry, raw: unknown) => {
    if (!live(entry)) return;
    entry.subscription = null;
    entry.failed = true;
    const error = GatewayError.info(raw);
    const { spec } = entry;
    if (isLogsSpec(spec)) queue.push({ t: "logsError", guildId: spec.logs, error });
    else {
      queue.push({ t: "poolError", key: entry.key, error });
      settle(entry, spec, error);
    }
  };

  const onPool = (entry: Entry, spec: NormalizedPoolSpec, snapshot: PoolSnapshot<Entity>) => {
    if (!live(entry)) return;
    queue.push({ t: "pool", key: entry.key, patch: toPatch(snapshot, entry.whole, spec.ids !== null) });
    entry.whole = false;
    if (snapshot.status === "ready") settle(entry, spec, snapshot);
    else if (snapshot.status === "error")
      settle(entry, spec, snapshot.error ? GatewayError.info(snapshot.error) : LOAD_FAILED);
  };

  const onLogs = (entry: Entry, guildId: string, batch: LogBatch) => {
    if (live(entry)) queue.push({ t: "logs", guildId, entries: [...batch], gap: batch.gap ?? null });
  };

  const open = (entry: Entry) => {
    entry.failed = false;
    entry.whole = true;
    const { spec } = entry;
    if (isLogsSpec(spec)) queue.push({ t: "logsOpen", guildId: spec.logs, limit: entry.limit });
    else {
      entry.pending = nextRequestId();
      options.dispatchNow(gatewayActions.pool.pending(entry.pending, spec));
    }
    try {
      const client = options.client();
      const subscription = isLogsSpec(spec)
        ? client.logs$(spec.logs).subscribe({
            next: (batch) => onLogs(entry, spec.logs, batch),
            error: (error: unknown) => fail(entry, error),
          })
        : poolObservable(client, spec).subscribe({
            next: (snapshot) => onPool(entry, spec, snapshot),
            error: (error: unknown) => fail(entry, error),
          });
      if (entry.failed) subscription.unsubscribe();
      else entry.subscription = subscription;
    } catch (error) {
      fail(entry, error);
    }
  };

  const end = (entry: Entry) => {
    if (!live(entry) || entry.refs > 0) return;
    entries.delete(entry.key);
    entry.linger = null;
    entry.subscription?.unsubscribe();
    entry.subscription = null;
    const { spec } = entry;
    if (isLogsSpec(spec)) queue.push({ t: "logsEnded", guildId: spec.logs });
    else {
      queue.push({ t: "poolEnded", key: entry.key });
      settle(entry, spec, CLOSED);
    }
  };

  const resize = (entry: Entry) => {
    const { spec } = entry;
    if (!isLogsSpec(spec) || entry.limits.length === 0) return;
    const limit = Math.max(...entry.limits);
    if (limit === entry.limit) return;
    entry.limit = limit;
    queue.push({ t: "logsLimit", guildId: spec.logs, limit });
  };

  return {
    subscribe(spec) {
      const key = entryKey(spec);
      const existing = entries.get(key);
      if (existing) {
        existing.linger?.();
        existing.linger = null;
        existing.refs += 1;
        if (isLogsSpec(spec)) existing.limits.push(spec.limit);
        resize(existing);
        // A subscription that failed is tried again by the next subscriber.
        if (existing.failed) open(existing);
        return;
      }
      const limit = isLogsSpec(spec) ? spec.limit : 0;
      const entry: Entry = {
        key,
        spec,
        refs: 1,
        limits: isLogsSpec(spec) ? [limit] : [],
        limit,
        subscription: null,
        linger: null,
        whole: true,
        pending: null,
        failed: false,
      };
      entries.set(key, entry);
      open(entry);
    },
    release(spec) {
      const key = entryKey(spec);
      const entry = entries.get(key);
      if (!entry || entry.refs === 0) {
        options.warn(`[gateway redux] release of ${key}, which is not subscribed: ignored`);
        return;
      }
      entry.refs -= 1;
      if (isLogsSpec(spec)) {
        const at = entry.limits.indexOf(spec.limit);
        entry.limits.splice(at >= 0 ? at : entry.limits.indexOf(Math.max(...entry.limits)), 1);
        resize(entry);
      }
      if (entry.refs > 0) return;
      if (options.keepUnusedForMs <= 0) end(entry);
      else entry.linger = options.clock.setTimeout(() => end(entry), options.keepUnusedForMs);
    },
    takeWhole() {
      for (const entry of entries.values()) entry.whole = true;
    },
    size: () => entries.size,
  };
}
