import { throwError } from "rxjs";
import type { PoolEntities, PoolType } from "../protocol";
import type { EntitySnapshot } from "../client/connectGateway";
import type { PoolSnapshot } from "../client/poolSnapshot";
import { useGateway } from "./GatewayProvider";
import { latest, useObservableStore, type StoreSnapshot } from "./observableStore";

/**
 * A pool of the provider's client: the whole pool (`all$`), the entities `ids` (`entities$`, in
 * that order), or with `view: "online"` a guild's online members (`online$`, member pools). Null
 * until the first snapshot (and on the server); `error` is the observable's error (`bad_input`
 * for a bad type, guild or ids), load failures are snapshots (`status: "error"`). Entities that
 * did not change keep their object from one snapshot to the next, so rows memoised on them
 * (`React.memo`) do not render again.
 */
export function usePool<T extends PoolType>(
  type: T,
  options: { guildId?: string; ids?: readonly string[]; view?: "all" | "online" } = {},
): StoreSnapshot<PoolSnapshot<PoolEntities[T]> | null> {
  const client = useGateway();
  const { guildId, ids, view } = options;
  const idsKey = ids ? JSON.stringify(ids) : null;
  return useObservableStore(
    () => {
      const pool = client.pool(type, guildId !== undefined ? { guildId } : {});
      // A bad call (online$ of a channel pool) is the hook's `error`, not a throw in render.
      try {
        if (view === "online") return pool.online$();
        return ids ? pool.entities$(ids) : pool.all$();
      } catch (error) {
        return throwError(() => error);
      }
    },
    null,
    latest<PoolSnapshot<PoolEntities[T]>>,
    [client, type, guildId, idsKey, view],
  );
}

/** An emission that changes nothing a component shows keeps the previous snapshot (no render). */
function sameEntity<T>(previous: EntitySnapshot<T> | null, next: EntitySnapshot<T>): EntitySnapshot<T> {
  return previous !== null &&
    previous.status === next.status &&
    previous.entity === next.entity &&
    previous.missing === next.missing &&
    previous.error === next.error
    ? previous
    : next;
}

/**
 * One entity of a pool (`entity$`): null until the first snapshot. The component renders again
 * only when this entity (or its status) changes, not when others of its pool do.
 */
export function useEntity<T extends PoolType>(
  type: T,
  id: string,
  options: { guildId?: string } = {},
): EntitySnapshot<PoolEntities[T]> | null {
  const client = useGateway();
  const { guildId } = options;
  return useObservableStore(
    () => client.pool(type, guildId !== undefined ? { guildId } : {}).entity$(id),
    null,
    sameEntity<PoolEntities[T]>,
    [client, type, guildId, id],
  ).value;
}
