import { useEffect, useRef, useState } from "react";
import type { GatewayClient, LogEntry } from "../../../src";

const CAPACITY = 5000;
const ROW = 18;

/**
 * The spectated guild's live log: a bounded ring of the last 5,000 entries, drawn virtualised
 * (only visible rows exist) and at most once per animation frame, so thousands of entries a
 * second do not block the page.
 */
export function LogView({ client, guildId }: { client: GatewayClient; guildId: string }) {
  const ring = useRef<LogEntry[]>([]);
  const received = useRef(0);
  const [, setFrame] = useState(0);
  const [paused, setPaused] = useState(false);
  const [scrollTop, setScrollTop] = useState(0);
  const [rate, setRate] = useState(0);

  useEffect(() => {
    ring.current = [];
    received.current = 0;
    let scheduled = false;
    const subscription = client.logs$(guildId).subscribe((batch) => {
      received.current += batch.length;
      const r = ring.current;
      for (const entry of batch) r.push(entry);
      if (r.length > CAPACITY) r.splice(0, r.length - CAPACITY);
      if (!scheduled) {
        scheduled = true;
        requestAnimationFrame(() => {
          scheduled = false;
          setFrame((f) => f + 1);
        });
      }
    });
    let last = 0;
    const timer = setInterval(() => {
      setRate(received.current - last);
      last = received.current;
    }, 1000);
    return () => {
      subscription.unsubscribe();
      clearInterval(timer);
    };
  }, [client, guildId]);

  const entries = paused ? ring.current.slice() : ring.current;
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
        {received.current} received · {rate}/s · showing last {entries.length}{" "}
        <button onClick={() => setPaused((p) => !p)}>{paused ? "resume" : "pause"}</button>
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
