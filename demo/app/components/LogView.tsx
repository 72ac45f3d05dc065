import { useEffect, useRef, useState } from "react";
import type { LogEntry } from "../../../src";
import { useLogs } from "../../../src/react";

const CAPACITY = 5000;
const ROW = 18;

/**
 * The spectated guild's live log: `useLogs` keeps a window of the last 5,000 entries and renders
 * once per delivered batch; rows are drawn virtualised (only visible rows exist), so thousands
 * of entries a second do not block the page.
 */
export function LogView({ guildId }: { guildId: string }) {
  const window = useLogs(guildId, { limit: CAPACITY });
  const [paused, setPaused] = useState<readonly LogEntry[] | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [rate, setRate] = useState(0);
  const received = useRef(0);
  received.current = window.received;

  useEffect(() => {
    let last = received.current;
    const timer = setInterval(() => {
      setRate(received.current - last);
      last = received.current;
    }, 1000);
    return () => clearInterval(timer);
  }, [guildId]);

  const entries = paused ?? window.entries;
  const height = 320;
  const first = Math.max(0, Math.floor(scrollTop / ROW) - 5);
  const count = Math.ceil(height / ROW) + 10;
  // Newest first.
  const visible: { index: number; entry: LogEntry }[] = [];
  for (let i = first; i < Math.min(entries.length, first + count); i++) {
    const entry = entries[entries.length - 1 - i];
    if (entry) visible.push({ index: i, entry });
  }
  return (
    <section>
      <h2>Live log</h2>
      <div className="muted" data-testid="log-stats">
        {window.received} received · {rate}/s · showing last {entries.length}{" "}
        <button onClick={() => setPaused((p) => (p ? null : window.entries))}>
          {paused ? "resume" : "pause"}
        </button>
      </div>
      <div className="log" style={{ height }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div style={{ height: entries.length * ROW }} />
        {visible.map(({ index, entry }) => (
          <div
            key={entry.seq}
            className={`row${entry.action.private ? " private" : ""}`}
            style={{ top: index * ROW }}
          >
            #{entry.seq} [{entry.action.action_number}] {entry.action.content ?? ""}
          </div>
        ))}
      </div>
    </section>
  );
}
