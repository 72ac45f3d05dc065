import { useState } from "react";
import type { GatewayClient, InterpretAction } from "../../../src";

interface Line {
  id: string;
  who: "you" | "bot";
  text: string;
}

/** The front-page bot mock: works without login. */
export function InterpretBox({ client }: { client: GatewayClient }) {
  const [content, setContent] = useState("!help");
  const [lines, setLines] = useState<Line[]>([]);
  const [nextId, setNextId] = useState(2);
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    const messageId = String(nextId);
    setNextId((n) => n + 100);
    setError(null);
    try {
      const r = await client.interpret({ guild_id: "1", message_id: messageId, content });
      const bot = r.actions.map((a, i) => ({
        id: `${String(a.message_id)}-${a.action}-${i}`,
        who: "bot" as const,
        text: describe(a),
      }));
      setLines((l) => [...l, { id: messageId, who: "you" as const, text: content }, ...bot].slice(-30));
    } catch (e) {
      setError(`${String((e as { code?: unknown }).code)}: ${(e as Error).message}`);
    }
  };
  return (
    <section>
      <h2>Bot mock (interpret)</h2>
      <input
        value={content}
        onChange={(e) => setContent(e.target.value)}
        onKeyDown={(e) => e.key === "Enter" && void send()}
        data-testid="interpret-input"
      />
      <button onClick={() => void send()}>send</button>
      <div data-testid="interpret-output">
        {lines.map((l) => (
          <div key={l.id} className={l.who === "bot" ? "" : "muted"}>
            {l.who}: {l.text}
          </div>
        ))}
      </div>
      {error ? <div className="error">{error}</div> : null}
    </section>
  );
}

/** One bot action in words (LogAction numbers, as archit.us sends them). */
function describe(a: InterpretAction): string {
  const named: Record<number, string> = { 72: "delete", 3002: "edit", 3100: "react", 3101: "unreact" };
  if (a.action === 3001) return String(a.content);
  const name = named[a.action] ?? `action ${a.action}`;
  return "emoji" in a
    ? `${name} ${String(a.emoji)}`
    : "content" in a
      ? `${name}: ${String(a.content)}`
      : name;
}
