import { useEffect, useState } from "react";
import type { GatewayClient, SessionState } from "../../../src";

interface DemoUser {
  id: string;
  name: string;
  guilds: Record<string, number>;
}

async function devToken(gatewayUrl: string, userId: string): Promise<string> {
  const res = await fetch(`${gatewayUrl}/dev/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user_id: userId, ttl_s: 900 }),
  });
  if (!res.ok) throw new Error(`dev token: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** Logs in as any demo user through the gateway's dev token endpoint. */
export function LoginPanel({
  client,
  gatewayUrl,
  session,
}: {
  client: GatewayClient;
  gatewayUrl: string;
  session: SessionState;
}) {
  const [users, setUsers] = useState<DemoUser[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetch(`${gatewayUrl}/dev/dataset`)
      .then((r) => r.json() as Promise<{ users: DemoUser[] }>)
      .then((d) => setUsers(d.users))
      .catch((e: unknown) => setError(`dev endpoints unreachable: ${String(e)}`));
  }, [gatewayUrl]);

  const login = async (user: DemoUser) => {
    setError(null);
    try {
      await client.login(await devToken(gatewayUrl, user.id));
      // Before the token runs out the worker asks a tab for a fresh one.
      await client.setTokenRefresher(() => devToken(gatewayUrl, user.id));
    } catch (e) {
      setError(e instanceof Error ? `${(e as { code?: unknown }).code ?? ""} ${e.message}` : String(e));
    }
  };
  const current = "userId" in session ? session.userId : null;
  return (
    <section>
      <h2>Session</h2>
      {users.map((u) => (
        <button
          key={u.id}
          className={current === u.id ? "active" : ""}
          onClick={() => void login(u)}
          data-testid={`login-${u.name}`}
        >
          {u.name}
        </button>
      ))}
      <button onClick={() => void client.logout()} disabled={session.status === "anonymous"}>
        log out
      </button>
      {error ? <div className="error">{error}</div> : null}
    </section>
  );
}
