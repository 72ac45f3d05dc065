import type { PoolResponsePayload } from "../../src/protocol";
import type { PoolStore } from "./poolStore";

/**
 * The answer to a request of `store`, checked to be about that pool (else it is a bad frame); a
 * whole-pool answer of the online view echoes its filter and carries the presence seq.
 */
export function responseFor(
  store: PoolStore,
  event: string,
  payload: unknown,
  whole = false,
): PoolResponsePayload {
  if (event !== "pool_response") throw new Error("expected pool_response");
  const frame = payload as PoolResponsePayload;
  if (frame.type !== store.type || (frame.guild_id ?? null) !== store.guildId)
    throw new Error(`pool_response for ${frame.type}/${frame.guild_id ?? "-"} answers ${store.key}`);
  if (whole && store.view === "online" && (frame.filter !== "online" || frame.presence_seq === undefined))
    throw new Error("not an online snapshot");
  return frame;
}

/** The `type` and (for guild pools) `guild_id` of a pool request. */
export const scopeOf = (store: PoolStore) => ({
  type: store.type,
  ...(store.guildId !== null ? { guild_id: store.guildId } : {}),
});
