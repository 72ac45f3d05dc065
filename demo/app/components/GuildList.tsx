import { useState } from "react";
import type { GatewayClient, SessionState, SpectatingState } from "../../../src";
import { usePool } from "../../../src/react";
import { CacheBadge } from "./CacheBadge";

/** The user's guilds, administered ones first; a click spectates. */
export function GuildList({
  client,
  session,
  spectating,
}: {
  client: GatewayClient;
  session: SessionState;
  spectating: SpectatingState | null;
}) {
  const authenticated = session.status === "authenticated";
  const snapshot = usePool("guild").value;
  const [error, setError] = useState<string | null>(null);
  const sorted = [...(snapshot?.entities ?? [])].sort(
    (a, b) => Number(b.architus_admin) - Number(a.architus_admin) || a.name.localeCompare(b.name),
  );
  const spectate = (id: string | null) => {
    setError(null);
    client.spectate(id).catch((e: unknown) => setError(String((e as Error).message)));
  };
  return (
    <section>
      <h2>
        Guilds
        <CacheBadge snapshot={snapshot} />
      </h2>
      {!authenticated ? <div className="muted">Log in to list guilds.</div> : null}
      {sorted.map((g) => (
        <div key={g.id}>
          <button
            className={spectating?.guildId === g.id ? "active" : ""}
            onClick={() => spectate(g.id)}
            data-testid={`guild-${g.name}`}
          >
            {g.name}
          </button>{" "}
          <span className="muted">
            {g.member_count} members{g.architus_admin ? " · admin" : ""}
          </span>
        </div>
      ))}
      {spectating?.guildId ? <button onClick={() => spectate(null)}>stop spectating</button> : null}
      {error ? <div className="error">{error}</div> : null}
    </section>
  );
}
