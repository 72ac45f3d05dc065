import type { LogEntry, LogGap } from "../shared/tabProtocol";
import type { LogsSlice } from "./gatewayState";

/**
 * The window after one `logs$` batch (pure): its new entries appended, the oldest beyond
 * `limit` dropped, the batch's gap kept. Entries at or below the window's last seq were shown
 * already (a late subscriber of a shared `logs$` is handed its latest batch again) unless a gap
 * says the stream started over. A batch with nothing new returns `previous` itself.
 */
export function foldLogsSlice(
  previous: LogsSlice,
  entries: readonly LogEntry[],
  gap: LogGap | null,
): LogsSlice {
  const last = previous.entries[previous.entries.length - 1]?.seq;
  const fresh = gap || last === undefined ? entries : entries.filter((e) => e.seq > last);
  if (fresh.length === 0 && !gap) return previous;
  const { limit } = previous;
  const kept =
    fresh.length >= limit
      ? fresh.slice(fresh.length - limit)
      : [...previous.entries.slice(Math.max(0, previous.entries.length + fresh.length - limit)), ...fresh];
  return { ...previous, entries: kept, gap: gap ?? previous.gap, received: previous.received + fresh.length };
}

/** The window with another size (pure): a smaller one drops the oldest entries at once. */
export function resizeLogsSlice(previous: LogsSlice, limit: number): LogsSlice {
  if (previous.limit === limit) return previous;
  const entries =
    previous.entries.length > limit
      ? previous.entries.slice(previous.entries.length - limit)
      : previous.entries;
  return { ...previous, limit, entries };
}
