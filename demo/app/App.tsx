import { from } from "rxjs";
import { useMemo } from "react";
import type { GatewayClient } from "../../src";
import { useConnection, useObservable, useSession, useSpectating } from "../../src/react";
import { DiagnosticsPanel } from "./components/DiagnosticsPanel";
import { GuildList } from "./components/GuildList";
import { InterpretBox } from "./components/InterpretBox";
import { LogView } from "./components/LogView";
import { LoginPanel } from "./components/LoginPanel";
import { MemberPanel } from "./components/MemberPanel";
import { MemberSearch } from "./components/MemberSearch";
import { PoolTables } from "./components/PoolTables";

export function App({ client, gatewayUrl }: { client: GatewayClient; gatewayUrl: string }) {
  const connection = useConnection();
  const session = useSession() ?? { status: "anonymous" };
  const spectating = useSpectating();
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
          {guildId ? <MemberPanel guildId={guildId} /> : null}
          {guildId ? <MemberSearch guildId={guildId} /> : null}
          {guildId ? (
            <PoolTables guildId={guildId} />
          ) : (
            <section className="muted">Spectate a guild to see its pools.</section>
          )}
        </div>
        <div>
          {guildId ? <LogView guildId={guildId} /> : <section className="muted">No guild, no logs.</section>}
          <DiagnosticsPanel client={client} />
        </div>
      </main>
    </>
  );
}
