import { useDeferredValue, useState } from "react";
import { useMemberSearch } from "../../../src/react";

/** Fuzzy member search through the gateway (never loads the whole member pool). */
export function MemberSearch({ guildId }: { guildId: string }) {
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query.trim());
  const result = useMemberSearch(deferred ? guildId : null, deferred, { limit: 15 });
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
              <td>
                <span className={`presence ${m.status ?? "unknown"}`} title={m.status ?? "unknown"} />
                {m.name}
              </td>
              <td className="muted">{m.nick ?? ""}</td>
              <td className="muted">#{m.discriminator}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
