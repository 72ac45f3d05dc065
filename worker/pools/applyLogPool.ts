import type { LogPoolPayload } from "../../src/protocol";
import { memberUpdateFor } from "./applyPresence";
import { isGuildScoped } from "./guildScoped";
import { poolKey, type PoolStore, type PoolView } from "./poolStore";

/**
 * Applies a pushed pool change to the pools held (`storeOf` finds one by its key, if held): a
 * member change to each member pool of its guild, as that pool takes it.
 */
export function applyLogPool(event: LogPoolPayload, storeOf: (key: string) => PoolStore | undefined): void {
  for (const pushed of event.updates) {
    const guildId = isGuildScoped(pushed.type) ? event.guild_id : null;
    const views: (PoolView | null)[] = pushed.type === "member" ? [null, "online"] : [null];
    for (const view of views) {
      const store = storeOf(poolKey(pushed.type, guildId, view));
      const update = store && (store.ofMembers ? memberUpdateFor(store, pushed) : pushed);
      if (!store || !update) continue;
      store.dispatch({
        type: "update",
        op: update.op,
        id: update.id,
        ...(update.entity ? { entity: update.entity } : {}),
      });
    }
  }
}
