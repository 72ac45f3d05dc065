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
/** The batch each window was made from. */
const folded = new WeakMap<LogWindow, LogBatch>();

/**
 * The window after one `logs$` batch: its new entries appended, the oldest beyond `limit`
 * dropped, the batch's gap kept. A batch with nothing new (empty, already shown, or the very
 * batch the window was made from) changes nothing (the same object).
 */
export function foldLogWindow(previous: LogWindow, batch: LogBatch, limit: number): LogWindow {
  // The same batch again (a late subscriber of a shared `logs$` is handed its latest batch): nothing new.
  if (folded.get(previous) === batch) return previous;
  // Entries at or below the window's last seq were shown already, unless a gap says the stream
  // started over (a restarted gateway counts from 1 again).
  const last = previous.entries[previous.entries.length - 1]?.seq;
  const fresh = batch.gap || last === undefined ? batch : batch.filter((e) => e.seq > last);
  if (fresh.length === 0 && !batch.gap) return previous;
  const entries =
    fresh.length >= limit
      ? fresh.slice(fresh.length - limit)
      : [...previous.entries.slice(Math.max(0, previous.entries.length + fresh.length - limit)), ...fresh];
  const next = { entries, gap: batch.gap ?? previous.gap, received: previous.received + fresh.length };
  folded.set(next, batch);
  return next;
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
