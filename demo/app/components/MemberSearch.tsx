import { useDeferredValue, useMemo, useState } from "react";
import type { GatewayClient, Member, SearchSnapshot } from "../../../src";
import { useObservable } from "../../../src/react";

/** Fuzzy member search through the gateway (never loads the whole member pool). */
export function MemberSearch({ client, guildId }: { client: GatewayClient; guildId: string }) {
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query.trim());
  const search$ = useMemo(
    () => (deferred ? client.pool("member", { guildId }).search$(deferred, { limit: 15 }) : null),
    [client, guildId, deferred],
  );
  const [result] = useObservable<SearchSnapshot<Member> | null>(search$, null);
  return (
    <section>
      <h2>Member search</h2>
      <input
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder="name or nick"
        data-testid="member-search"
      />
      <span className="muted"> {result?.status ?? ""}</span>
      <table>
        <tbody>
          {(deferred ? (result?.entities ?? []) : []).map((m) => (
            <tr key={m.id}>
              <td>{m.name}</td>
              <td className="muted">{m.nick ?? ""}</td>
              <td className="muted">#{m.discriminator}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
