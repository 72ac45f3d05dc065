import { defer, Observable, ReplaySubject, share } from "rxjs";
import { GatewayError, type DeliveryItem, type SubscriptionSpec } from "../shared";
import type { WorkerLink } from "./workerLink";

/**
 * How one worker subscription's items become values, made per subscription: `resume(seq)`
 * records the last log seq it delivered (a new worker resumes the stream after it).
 */
export type ItemMap<T> = (resume: (seq: number) => void) => (item: DeliveryItem) => T | undefined;

/** The tab's subscriptions to the worker, multiplexed over its one delivery port. */
export interface Subscriptions {
  /**
   * A cold observable over one worker subscription per spec, shared by every subscriber of the
   * tab: at subscribe time it joins the spec's live shared observable, or starts one (kept while
   * subscribed, dropped when its last subscriber leaves). One made and never subscribed (a render
   * React threw away) holds nothing.
   */
  observe<T>(spec: SubscriptionSpec, map: ItemMap<T>): Observable<T>;
  /** A batch from the worker: each item goes to the subscription it names. */
  deliver(items: DeliveryItem[]): void;
  /**
   * The worker ended: a `logs$` without a last seq says it may have missed entries (a
   * `worker_restart` gap), `connection$` says `reconnecting`.
   */
  workerLost(): void;
  /** A new worker accepted the tab: every live subscription again (`logs$` after its last seq). */
  resubscribe(): void;
  /** Errors every live subscriber with `error` (the client closed, or no worker will come back). */
  end(error: unknown): void;
  /**
   * A call changed whose data the tab sees (`login`, `logout`): a subscriber from now on starts
   * a worker subscription of its own, made after that call, rather than join one whose last
   * value may be the previous user's. Existing subscribers keep theirs (the worker updates it).
   */
  fresh(): void;
}

/** One live worker subscription. */
interface Live {
  spec: SubscriptionSpec;
  /** Logs: the last seq delivered. */
  since?: number;
  handle(item: DeliveryItem): void;
  error(error: unknown): void;
}

/**
 * Over the tab's link (`isClosed()`: a subscription that ends then tells the worker nothing);
 * `url` is the gateway's, for the `connection$` value said when the worker ends.
 */
export function createSubscriptions(
  link: Pick<WorkerLink, "call" | "isClosed">,
  url: string,
  /** Told the session's token (the `TOKEN_ITEM` of a batch). */
  token: (token: string | null) => void,
): Subscriptions {
  let nextId = 1;
  const live = new Map<number, Live>();
  const shared = new Map<string, Observable<unknown>>();

  return {
    observe<T>(spec: SubscriptionSpec, map: ItemMap<T>): Observable<T> {
      const key = JSON.stringify(spec);
      const workerSubscription = (): Observable<T> => {
        const observable: Observable<T> = new Observable<T>((subscriber) => {
          const id = nextId++;
          const reduce = map((seq) => (entry.since = seq));
          const entry: Live = {
            spec,
            handle: (item) => {
              if (item.t === "error") return subscriber.error(GatewayError.from(item.e));
              const value = reduce(item);
              if (value !== undefined) subscriber.next(value);
            },
            error: (error) => subscriber.error(error),
          };
          live.set(id, entry);
          link
            .call((api) => api.subscribe(id, spec))
            .catch((error: unknown) => {
              // The worker ended meanwhile: the subscription is made again on the next one.
              if (!(error instanceof GatewayError && error.code === "disconnected")) subscriber.error(error);
            });
          return () => {
            live.delete(id);
            // Nobody listens any more: forget the shared observable too (the map stays bounded).
            if (shared.get(key) === observable) shared.delete(key);
            if (!link.isClosed()) void link.call((api) => api.unsubscribe(id)).catch(() => {});
          };
        }).pipe(share({ connector: () => new ReplaySubject<T>(1), resetOnRefCountZero: true }));
        return observable;
      };
      return (
        (shared.get(key) as Observable<T> | undefined) ??
        defer(() => {
          let observable = shared.get(key) as Observable<T> | undefined;
          if (!observable) shared.set(key, (observable = workerSubscription()));
          return observable;
        })
      );
    },
    deliver(items) {
      for (const item of items)
        if (item.s) live.get(item.s)?.handle(item);
        else if (item.t === "value") token(item.v as string | null);
    },
    workerLost() {
      for (const [id, { spec, since, handle }] of live)
        // A stream with a last seq resumes after it on the next worker (which says if it cannot).
        if (spec.kind === "logs" && since === undefined)
          handle({
            s: id,
            t: "gap",
            g: { guildId: spec.guildId, reason: "worker_restart", afterSeq: null, untilSeq: null },
          });
        else if (spec.kind === "connection")
          handle({
            s: id,
            t: "value",
            v: { status: "reconnecting", url, socketId: null, lastError: "the worker ended" },
          });
    },
    resubscribe() {
      for (const [id, { spec, since }] of live) {
        const again: SubscriptionSpec =
          spec.kind === "logs" && since !== undefined ? { ...spec, since } : spec;
        void link.call((api) => api.subscribe(id, again)).catch(() => {});
      }
    },
    fresh: () => shared.clear(),
    end(error) {
      const subscribers = [...live.values()];
      live.clear();
      for (const subscriber of subscribers) subscriber.error(error);
    },
  };
}
