import { useState } from "react";
import type { PoolSnapshot } from "../../../src";
import { usePool } from "../../../src/react";
import type { Channel, CustomEmoji, Member, Role } from "../../../src";
import { CacheBadge } from "./CacheBadge";
import { ChannelList, EmojiGrid, MemberList, RoleList } from "./EntityViews";

const TYPES = ["channel", "role", "customEmoji", "autoResponse", "settingValue", "member"] as const;
type ShownType = (typeof TYPES)[number];
const COLUMNS: Record<ShownType, string[]> = {
  channel: ["name", "type", "position"],
  role: ["name", "color", "position", "mentionable"],
  customEmoji: ["name", "num_uses", "priority"],
  autoResponse: ["trigger", "response", "mode", "count"],
  settingValue: ["id", "value"],
  member: ["name", "nick", "discriminator", "joined_at"],
};

/** How a pool's entities show: as people recognise them where the dashboard does, else as a table. */
function Entities({ type, rows }: { type: ShownType; rows: Record<string, unknown>[] }) {
  switch (type) {
    case "channel":
      return <ChannelList channels={rows as unknown as Channel[]} />;
    case "role":
      return <RoleList roles={rows as unknown as Role[]} />;
    case "customEmoji":
      return <EmojiGrid emoji={rows as unknown as CustomEmoji[]} />;
    case "member":
      return <MemberList members={rows as unknown as Member[]} />;
    default:
      return (
        <table>
          <thead>
            <tr>
              {COLUMNS[type].map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={String(e.id)}>
                {COLUMNS[type].map((c) => (
                  <td key={c}>{String(e[c] ?? "")}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
  }
}

/** The spectated guild's pools, live. The member pool loads whole only on request. */
export function PoolTables({ guildId }: { guildId: string }) {
  const [type, setType] = useState<ShownType>("autoResponse");
  const pool = usePool(type, { guildId });
  const snapshot = pool.value as PoolSnapshot<Record<string, unknown>> | null;
  const error = pool.error;
  const rows = snapshot?.entities.slice(0, 200) ?? [];
  return (
    <section>
      <h2>Pools</h2>
      {TYPES.map((t) => (
        <button key={t} className={t === type ? "active" : ""} onClick={() => setType(t)}>
          {t === "member" ? "member (load all)" : t}
        </button>
      ))}
      <div className="muted" data-testid="pool-status">
        {snapshot ? `${snapshot.status} · ${snapshot.loaded}/${snapshot.total ?? "?"}` : "…"}
        <CacheBadge snapshot={snapshot} />
        {snapshot?.error ? <span className="error"> {snapshot.error.message}</span> : null}
        {error ? <span className="error"> {String((error as Error).message)}</span> : null}
      </div>
      <Entities type={type} rows={rows} />
      {snapshot && snapshot.entities.length > rows.length ? (
        <div className="muted">… {snapshot.entities.length - rows.length} more</div>
      ) : null}
    </section>
  );
}
