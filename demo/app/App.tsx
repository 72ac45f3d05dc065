import { from } from "rxjs";
import { useMemo } from "react";
import type { GatewayClient, SessionState, SpectatingState, ConnectionState } from "../../src";
import { useObservable } from "../../src/react";
import { DiagnosticsPanel } from "./components/DiagnosticsPanel";
import { GuildList } from "./components/GuildList";
import { InterpretBox } from "./components/InterpretBox";
import { LogView } from "./components/LogView";
import { LoginPanel } from "./components/LoginPanel";
import { MemberSearch } from "./components/MemberSearch";
import { PoolTables } from "./components/PoolTables";

export function App({ client, gatewayUrl }: { client: GatewayClient; gatewayUrl: string }) {
  const [connection] = useObservable<ConnectionState | null>(client.connection$, null);
  const [session] = useObservable<SessionState>(client.session$, { status: "anonymous" });
  const [spectating] = useObservable<SpectatingState | null>(client.spectating$, null);
  const ready = useMemo(() => client.ready, [client]);
  const [hello] = useObservable(
    useMemo(() => from(ready), [ready]),
    null,
  );
  const guildId = spectating?.guildId ?? null;
  return (
    <>
      <header>
        <span>
          gateway <b>{gatewayUrl}</b>
        </span>
        <span data-testid="connection">
          connection <b>{connection?.status ?? "…"}</b> {connection?.socketId ?? ""}
        </span>
        <span data-testid="session">
          session <b>{session.status}</b> {"userId" in session ? session.userId : ""}
        </span>
        <span data-testid="spectating">
          spectating <b>{guildId ?? "none"}</b>{" "}
          {spectating && guildId ? (spectating.mine ? "(this tab)" : "(another tab)") : ""}
        </span>
        <span className="muted">
          {hello
            ? { shared: "SharedWorker", leader: "leader tab's worker", "per-tab": "per-tab worker" }[
                hello.mode
              ]
            : ""}
        </span>
      </header>
      <main>
        <div>
          <LoginPanel client={client} gatewayUrl={gatewayUrl} session={session} />
          <GuildList client={client} session={session} spectating={spectating} />
          <InterpretBox client={client} />
        </div>
        <div>
          {guildId ? (
            <PoolTables client={client} guildId={guildId} />
          ) : (
            <section className="muted">Spectate a guild to see its pools.</section>
          )}
          {guildId ? <MemberSearch client={client} guildId={guildId} /> : null}
        </div>
        <div>
          {guildId ? (
            <LogView client={client} guildId={guildId} />
          ) : (
            <section className="muted">No guild, no logs.</section>
          )}
          <DiagnosticsPanel client={client} />
        </div>
      </main>
    </>
  );
}
