import type { LogBatch, LogEntry, LogGap } from "../shared";
import { GatewayError } from "../shared/GatewayError";
import { useGateway } from "./GatewayProvider";
import { useObservableStore } from "./observableStore";

/** What `useLogs` shows: a bounded window of the newest entries. */
export interface LogWindow {
  /** The newest entries, oldest first, at most `limit`. */
  entries: readonly LogEntry[];
  /** The last gap the stream announced (entries may be missing before the entry after it), or null. */
  gap: LogGap | null;
  /** Entries received since the component subscribed (the window drops the oldest). */
  received: number;
}

const EMPTY: LogWindow = { entries: [], gap: null, received: 0 };

/**
 * The window after one `logs$` batch: its entries appended, the oldest beyond `limit` dropped, the
 * batch's gap kept. An empty batch without a gap changes nothing (the same object).
 */
export function foldLogWindow(previous: LogWindow, batch: LogBatch, limit: number): LogWindow {
  if (batch.length === 0 && !batch.gap) return previous;
  const entries =
    batch.length >= limit
      ? batch.slice(batch.length - limit)
      : [...previous.entries.slice(Math.max(0, previous.entries.length + batch.length - limit)), ...batch];
  return { entries, gap: batch.gap ?? previous.gap, received: previous.received + batch.length };
}

/**
 * The live log of `guildId` (null: none) as a window of its newest `limit` entries (default
 * 100; a positive integer, else it throws `bad_input`). The worker delivers entries in batches; the window changes once per batch,
 * so the component renders once per batch however many entries it holds. Entries flow while the
 * connection spectates the guild (`spectate`); the subscription asks for its logs (see `logs$`).
 */
export function useLogs(guildId: string | null, options: { limit?: number } = {}): LogWindow {
  const client = useGateway();
  const limit = options.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new GatewayError("bad_input", "useLogs: limit must be a positive integer");
  const step = (previous: LogWindow, batch: LogBatch) => foldLogWindow(previous, batch, limit);
  return useObservableStore(() => (guildId === null ? null : client.logs$(guildId)), EMPTY, step, [
    client,
    guildId,
    limit,
  ]).value;
}
