import type { Entity, Member, PoolResponsePayload } from "../../src/protocol";
import type { PoolStore } from "./poolStore";

/**
 * Applies a by-id answer to `ids`. Each id asked is an entity or `nonexistent`; ids the answer
 * left out (their entities failed the schema and were dropped) would wait for ever: they get a
 * `bad_frame` error instead, shown by the subscriptions that still miss them. The online view
 * keeps only members online (it fetched them for a presence change; they may have gone again).
 */
export function applyIds(store: PoolStore, ids: readonly string[], frame: PoolResponsePayload): void {
  if (store.view === "online") {
    const online = (frame.data as Member[]).filter((m) => m.status !== undefined && m.status !== "offline");
    store.dispatch({ type: "entities", data: online, nonexistent: [] });
    return;
  }
  const data = frame.data as Entity[];
  store.dispatch({ type: "entities", data, nonexistent: frame.nonexistent });
  const answered = new Set(frame.nonexistent);
  for (const entity of data) answered.add(entity.id);
  const left = ids.filter((id) => !answered.has(id));
  if (left.length === 0) return;
  store.dispatch({
    type: "unanswered",
    error: {
      code: "bad_frame",
      message: `pool_response: ${left.length} id(s) without a valid entity, e.g. ${left[0]}`,
    },
  });
}
