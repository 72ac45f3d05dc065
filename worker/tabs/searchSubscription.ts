import type { Entity, Member, PoolResponsePayload } from "../../src/protocol";
import { GatewayError, type SearchResult, type SubscriptionSpec } from "../../src/shared";
import type { Requests } from "../gateway/requests";
import type { Pools } from "../pools/pools";
import type { Session } from "../session/session";
import type { Disposer } from "../signal";

/** What a member search subscription uses. */
export interface SearchDeps {
  requests: Pick<Requests, "send">;
  pools: Pick<Pools, "store" | "presence">;
  session: Pick<Session, "elevated" | "changed" | "userChanged" | "loginNeeded">;
}

/**
 * A tab's member search: asked of the gateway (again after every elevation, and when the guild's
 * presence starts to flow afresh), its results kept current by pushed member changes and presence
 * frames, and emptied when the session ends.
 */
export function subscribeSearch(
  deps: SearchDeps,
  spec: Extract<SubscriptionSpec, { kind: "search" }>,
  send: (result: SearchResult) => void,
  authenticated: () => boolean,
): Disposer {
  let results: Entity[] = [];
  let closed = false;
  /** Bumped by every run and every logout: an answer of an older round is dropped. */
  let round = 0;
  const store = deps.pools.store("member", spec.guildId);
  const run = () => {
    const mine = ++round;
    if (!authenticated()) {
      results = [];
      send({
        status: "error",
        entities: [],
        error: GatewayError.info(deps.session.loginNeeded("search")),
      });
      return;
    }
    send({ status: "loading", entities: results, error: null });
    deps.requests
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
  const disposePresence = deps.pools.presence.listen(({ guildId, frame }) => {
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
  const disposeElevated = deps.session.elevated.listen(run);
  // Logged out, expired or another user: the results were the previous session's.
  const disposeSession = deps.session.changed.listen((state) => {
    if (state.status === "authenticated" || results.length === 0) return;
    round++;
    results = [];
    send({
      status: "error",
      entities: [],
      error: GatewayError.info(deps.session.loginNeeded("search")),
    });
  });
  const disposeUser = deps.session.userChanged.listen(() => {
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
