import { useEffect, useMemo, useRef, useState } from "react";
import type { Channel, LogEntry, Member } from "../../../src";
import { useLogs, usePool } from "../../../src/react";
import { ago, describe, namedMembers, type Names } from "./logRow";

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
  // The members the rows on show name, asked of the member pool by id (not its 50,000 members),
  // refreshed once a second with the rate, so a fast log does not churn subscriptions.
  const shownMembers = useRef("");
  const [memberKey, setMemberKey] = useState("");

  useEffect(() => {
    let last = received.current;
    const timer = setInterval(() => {
      setRate(received.current - last);
      last = received.current;
      setMemberKey(shownMembers.current);
    }, 1000);
    return () => clearInterval(timer);
  }, [guildId]);
  const memberIds = useMemo(() => (memberKey ? memberKey.split(",") : []), [memberKey]);
  const members = usePool("member", { guildId, ids: memberIds }).value;
  const channels = usePool("channel", { guildId }).value;
  const names: Names = {
    member: (id) => {
      const m = members?.byId.get(id) as Member | undefined;
      return m ? (m.nick ?? m.name) : null;
    },
    channel: (id) => (channels?.byId.get(id) as Channel | undefined)?.name ?? null,
  };

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
  shownMembers.current = [...new Set(visible.flatMap(({ entry }) => namedMembers(entry.action)))]
    .sort()
    .join(",");
  const now = Date.now();
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
            <span className="muted">{ago(entry.action.timestamp, now)}</span> {describe(entry.action, names)}
          </div>
        ))}
      </div>
    </section>
  );
}
