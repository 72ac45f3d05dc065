import type { Clock, ConnectionState, Diagnostics, SearchResult, SubscriptionSpec } from "../../src/shared";
import type { DeliveryQueue, PlainItem } from "./deliveryQueue";
import { GatewayError } from "../../src/shared";
import type { Entity, Member, PoolResponsePayload } from "../../src/protocol";
import type { GatewayLink } from "../gateway/gatewayLink";
import type { Requests } from "../gateway/requests";
import type { Pools } from "../pools/pools";
import { subscribePool } from "../pools/poolSubscription";
import type { PoolStore } from "../pools/poolStore";
import type { Session } from "../session/session";
import type { Disposer, Signal } from "../signal";
import type { Spectator } from "../spectate/spectator";
import type { LogSubscribers } from "./logSubscribers";

/** What a tab's subscriptions use of the hub (a type: the hub itself is passed). */
export interface SubscriptionSources {
  session: Session;
  link: GatewayLink;
  connection: Signal<ConnectionState>;
  changed: Signal<void>;
  scheduler: Clock;
  spectator: Spectator;
  pools: Pools;
  logs: LogSubscribers;
  requests: Requests;
  diagnostics(): Diagnostics;
  /** A restored (stale) pool a tab listens to: caught up by its guild's spectate, or fetched again. */
  revalidate(store: PoolStore): void;
  loginNeeded(what: string): GatewayError;
}

/** Starts one subscription of a tab; returns what ends it. */
export function openSubscription(
  hub: SubscriptionSources,
  tabId: string,
  id: number,
  spec: SubscriptionSpec,
  queue: Pick<DeliveryQueue, "push" | "pushLog">,
): Disposer {
  const deliver = (item: PlainItem) => queue.push(item);
  const value = (v: unknown) => deliver({ s: id, t: "value", v });
  const authenticated = () => hub.session.state.status === "authenticated";
  switch (spec.kind) {
    case "connection":
      value(hub.link.state);
      return hub.connection.listen(value);
    case "session":
      value(hub.session.state);
      return hub.session.changed.listen(value);
    case "spectating": {
      let last = "";
      const send = () => {
        const state = hub.spectator.stateFor(tabId);
        const key = JSON.stringify(state);
        if (key !== last) value(state);
        last = key;
      };
      send();
      return hub.spectator.changed.listen(send);
    }
    case "diagnostics": {
      // Coalesced: at most one snapshot per 250 ms however busy the worker is.
      let cancel: (() => void) | null = null;
      value(hub.diagnostics());
      const dispose = hub.changed.listen(() => {
        cancel ??= hub.scheduler.setTimeout(() => {
          cancel = null;
          value(hub.diagnostics());
        }, 250);
      });
      return () => {
        dispose();
        cancel?.();
      };
    }
    case "pool":
      return subscribePool({
        pools: hub.pools,
        store: hub.pools.store(spec.type, spec.guildId, spec.view ?? null),
        ids: spec.ids,
        deliver: (d, whole) => queue.push({ s: id, t: "pool", d }, () => ({ s: id, t: "pool", d: whole() })),
        authenticated,
        onElevated: (listener) => hub.session.elevated.listen(listener),
        revalidate: (store) => hub.revalidate(store),
        presenceGate: (store) => presenceGate(hub, store),
        onPresenceChange: (listener) => hub.spectator.changed.listen(listener),
      });
    case "search":
      return subscribeSearch(hub, spec, (result) => value(result), authenticated);
    case "logs": {
      let subscribers = hub.logs.get(spec.guildId);
      if (!subscribers) hub.logs.set(spec.guildId, (subscribers = new Map()));
      const key = `${tabId}:${id}`;
      const since = spec.since;
      subscribers.set(key, {
        // What the tab had from a worker that ended is not sent again.
        entry: (raw, seq) =>
          (since === undefined || seq > since) && queue.pushLog(id, raw, seq, spec.guildId),
        gap: (g) => deliver({ s: id, t: "gap", g }),
      });
      if (since !== undefined) {
        const missed = hub.spectator.resumeLogsFrom(spec.guildId, since);
        // Its logs flow here from a later seq already: what this tab missed, from the entries the
        // worker keeps, or a gap that says what it missed.
        if (Array.isArray(missed))
          missed.forEach((raw, i) => queue.pushLog(id, raw, since + 1 + i, spec.guildId));
        else if (missed !== null)
          deliver({
            s: id,
            t: "gap",
            g: { guildId: spec.guildId, reason: "worker_restart", afterSeq: since, untilSeq: missed + 1 },
          });
      }
      hub.spectator.viewsChanged();
      return () => {
        const current = hub.logs.get(spec.guildId);
        current?.delete(key);
        if (current?.size === 0) hub.logs.delete(spec.guildId);
        hub.spectator.viewsChanged();
      };
    }
  }
}

/**
 * Whether a member pool may load now: an online view only once the gateway said it has presence
 * (never on a guess: a gateway without it would answer the whole pool), any member pool of the
 * wished guild once its presence flows (a load answered before would miss the frames between).
 */
function presenceGate(hub: SubscriptionSources, store: PoolStore): "wait" | "unsupported" | null {
  if (!store.ofMembers) return null;
  const support = hub.spectator.presence.support;
  if (store.view === "online" && support !== "supported")
    return support === "unsupported" ? "unsupported" : "wait";
  return hub.spectator.presencePending(store.guildId as string) ? "wait" : null;
}

function subscribeSearch(
  hub: SubscriptionSources,
  spec: Extract<SubscriptionSpec, { kind: "search" }>,
  send: (result: SearchResult) => void,
  authenticated: () => boolean,
): Disposer {
  let results: Entity[] = [];
  let closed = false;
  /** Bumped by every run and every logout: an answer of an older round is dropped. */
  let round = 0;
  const store = hub.pools.store("member", spec.guildId);
  const run = () => {
    const mine = ++round;
    if (!authenticated()) {
      results = [];
      send({
        status: "error",
        entities: [],
        error: GatewayError.info(hub.loginNeeded("search")),
      });
      return;
    }
    send({ status: "loading", entities: results, error: null });
    hub.requests
      .send<"pool_search_request", null>({
        event: "pool_search_request",
        needsAuth: true,
        retry: true,
        build: (_id, token) => ({
          _id,
          token: token ?? "",
          type: "member",
          guild_id: spec.guildId,
          query: spec.query,
          limit: spec.limit,
        }),
        // Taken in the answer's own task (a presence frame right behind it must find it in). Each
        // search its own request: one shared with another subscription would reach that one a
        // microtask later, over frames applied meanwhile.
        collect: (event, payload) => {
          if (event !== "pool_response") return { done: false };
          if (!closed && mine === round) {
            results = (payload as PoolResponsePayload).data as Entity[];
            send({ status: "ready", entities: results, error: null });
          }
          return { done: true, value: null };
        },
      })
      .catch((error: unknown) => {
        if (!closed) send({ status: "error", entities: results, error: GatewayError.info(error) });
      });
  };
  // Pushed member changes keep the results current.
  const disposeStore = store.listen((change) => {
    if (results.length === 0) return;
    const byId = new Map(change.upsert.map((e) => [e.id, e]));
    const removed = new Set(change.remove);
    if (!results.some((e) => byId.has(e.id) || removed.has(e.id))) return;
    results = results.filter((e) => !removed.has(e.id)).map((e) => byId.get(e.id) ?? e);
    send({ status: "ready", entities: results, error: null });
  });
  // Presence (Extension 2): frames change the results' statuses; a fresh flow runs the search again
  // (results answered before it may miss the frames between).
  const disposePresence = hub.pools.presence.listen(({ guildId, frame }) => {
    if (guildId !== spec.guildId || closed) return;
    if (!frame) return run();
    const statuses = new Map(frame.updates.map((u) => [u.id, u.status]));
    if (!results.some((e) => statuses.has(e.id))) return;
    results = results.map((e) => {
      const status = statuses.get(e.id);
      return status === undefined ? e : { ...(e as Member), status };
    });
    send({ status: "ready", entities: results, error: null });
  });
  const disposeElevated = hub.session.elevated.listen(run);
  // Logged out, expired or another user: the results were the previous session's.
  const disposeSession = hub.session.changed.listen((state) => {
    if (state.status === "authenticated" || results.length === 0) return;
    round++;
    results = [];
    send({
      status: "error",
      entities: [],
      error: GatewayError.info(hub.loginNeeded("search")),
    });
  });
  const disposeUser = hub.session.userChanged.listen(() => {
    round++;
    results = [];
  });
  run();
  return () => {
    closed = true;
    disposeStore();
    disposePresence();
    disposeElevated();
    disposeSession();
    disposeUser();
  };
}
