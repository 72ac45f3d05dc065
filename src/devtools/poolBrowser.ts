import type { GatewayClient } from "../client/gatewayClient";
import type { PoolSnapshot } from "../client/poolSnapshot";
import type { PoolDiagnostics, PoolStatus } from "../shared";
import { describeError } from "./describeError";

/** The pool expanded in the panel, and what it shows of its entities. */
export interface BrowseState {
  /** The pool's key ({@link poolRowKey}). */
  key: string;
  status: PoolStatus;
  /** The first {@link BROWSE_LIMIT} entities, labelled. */
  rows: { id: string; label: string }[];
  /** Entities in the pool. */
  count: number;
  /** Why they could not be shown, else null. */
  error: string | null;
}

/** How many entities the panel lists of a browsed pool. */
export const BROWSE_LIMIT = 100;

/** A pool's key in the panel: type, guild and view. */
export const poolRowKey = (pool: Pick<PoolDiagnostics, "type" | "guildId" | "view">): string =>
  `${pool.type}|${pool.guildId ?? ""}|${pool.view ?? ""}`;

/**
 * Whether browsing the pool costs the gateway nothing: a whole pool the worker holds, or the
 * online view. A pool held by id is not browsed (listing it would load all of it).
 */
export const browsable = (pool: PoolDiagnostics): boolean => pool.complete || pool.view === "online";

/** What people call an entity: its name, username, trigger or setting key, else nothing. */
export function labelOf(entity: unknown): string {
  const e = entity as Record<string, unknown>;
  for (const field of ["nick", "name", "username", "trigger", "key"]) {
    const value = e[field];
    if (typeof value === "string" && value !== "") return value;
  }
  return "";
}

const browseStateOf = (key: string, snapshot: PoolSnapshot<unknown>): BrowseState => ({
  key,
  status: snapshot.status,
  rows: snapshot.entities.slice(0, BROWSE_LIMIT).map((entity) => ({
    id: (entity as { id: string }).id,
    label: labelOf(entity),
  })),
  count: snapshot.entities.length,
  error: snapshot.error ? describeError(snapshot.error) : null,
});

/**
 * Follows a pool's entities while it is expanded (`told` each snapshot, or the error that ended
 * the stream). Returns what stops it.
 */
export function browsePool(
  client: Pick<GatewayClient, "pool">,
  pool: PoolDiagnostics,
  told: (state: BrowseState) => void,
): () => void {
  const key = poolRowKey(pool);
  const handle = client.pool(pool.type, pool.guildId === null ? {} : { guildId: pool.guildId });
  const stream = pool.view === "online" ? handle.online$() : handle.all$();
  const subscription = stream.subscribe({
    next: (snapshot) => told(browseStateOf(key, snapshot)),
    error: (error: unknown) =>
      told({
        key,
        status: "error",
        rows: [],
        count: 0,
        error: describeError(error),
      }),
  });
  return () => subscription.unsubscribe();
}
