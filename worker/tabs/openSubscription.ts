import type { ConnectionState, Diagnostics, SubscriptionSpec } from "../../src/shared";
import type { Clock } from "../../src/shared";
import type { GatewayLink } from "../gateway/gatewayLink";
import type { CatchUpGrace } from "../pools/catchUpGrace";
import { subscribePool } from "../pools/poolSubscription";
import type { PoolStore } from "../pools/poolStore";
import type { Pools } from "../pools/pools";
import type { Session } from "../session/session";
import type { Disposer, Signal } from "../signal";
import type { Spectator } from "../spectate/spectator";
import type { DeliveryQueue, PlainItem } from "./deliveryQueue";
import type { LogFanout } from "./logFanout";
import { subscribeSearch, type SearchDeps } from "./searchSubscription";

/** What a tab's subscriptions are made of: the worker's streams, pools and log fan-out. */
export interface SubscriptionDeps extends SearchDeps {
  link: Pick<GatewayLink, "state">;
  /** Every connection state, as the link reports it. */
  connection: Pick<Signal<ConnectionState>, "listen">;
  session: SearchDeps["session"] & Pick<Session, "state">;
  spectator: Pick<
    Spectator,
    "stateFor" | "changed" | "resumeLogsFrom" | "viewsChanged" | "presence" | "presencePending"
  >;
  pools: Pools;
  logs: Pick<LogFanout, "add">;
  grace: Pick<CatchUpGrace, "revalidate">;
  /** Something diagnostics show may have changed. */
  changed: Pick<Signal<void>, "listen">;
  diagnostics(): Diagnostics;
  scheduler: Clock;
}

/** Starts one subscription of a tab; returns what ends it. */
export function openSubscription(
  hub: SubscriptionDeps,
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
        revalidate: (store) => hub.grace.revalidate(store),
        presenceGate: (store) => presenceGate(hub, store),
        onPresenceChange: (listener) => hub.spectator.changed.listen(listener),
      });
    case "search":
      return subscribeSearch(hub, spec, (result) => value(result), authenticated);
    case "logs": {
      const since = spec.since;
      const remove = hub.logs.add(spec.guildId, {
        // What the tab had from a worker that ended is not sent again.
        entry: (raw, seq) =>
          (since === undefined || seq > since) && queue.pushLog(id, raw, seq, spec.guildId),
        gap: (g) => deliver({ s: id, t: "gap", g }),
      });
      if (since !== undefined) {
        const from = hub.spectator.resumeLogsFrom(spec.guildId, since);
        // Its logs flow here from a later seq already: say what this tab missed.
        if (from !== null)
          deliver({
            s: id,
            t: "gap",
            g: { guildId: spec.guildId, reason: "worker_restart", afterSeq: since, untilSeq: from + 1 },
          });
      }
      hub.spectator.viewsChanged();
      return () => {
        remove();
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
function presenceGate(
  hub: Pick<SubscriptionDeps, "spectator">,
  store: PoolStore,
): "wait" | "unsupported" | null {
  if (!store.ofMembers) return null;
  const support = hub.spectator.presence.support;
  if (store.view === "online" && support !== "supported")
    return support === "unsupported" ? "unsupported" : "wait";
  return hub.spectator.presencePending(store.guildId as string) ? "wait" : null;
}
