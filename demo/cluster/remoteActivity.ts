import type { Activity, ActivityKind } from "../gateway/activity";

/**
 * A node's dev endpoints drive the producer, which runs in another process: `publish` and
 * `setRate` / `setPresenceRate` are forwarded to its HTTP endpoints. `rate()` and
 * `presenceRate()` are the last rates this node set.
 */
export function createRemoteActivity(producerUrl: string, onError: (error: unknown) => void): Activity {
  let rate = 0;
  let presenceRate = 0;
  const post = async (path: string, body: unknown): Promise<unknown> => {
    const res = await fetch(`${producerUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer: unknown = await res.json();
    if (!res.ok) throw new Error(`producer ${path}: ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  return {
    async publish(guildId: string, kind: ActivityKind, count: number) {
      const answer = (await post("/dev/activity", { guild_id: guildId, kind, count })) as {
        published: number;
      };
      return answer.published;
    },
    setRate(eventsPerSecond) {
      rate = eventsPerSecond;
      post("/dev/rate", { events_per_second: eventsPerSecond }).catch(onError);
    },
    rate: () => rate,
    setPresenceRate(changesPerSecond, guildId = null) {
      presenceRate = changesPerSecond;
      const body = { presence_per_second: changesPerSecond, ...(guildId ? { guild_id: guildId } : {}) };
      post("/dev/rate", body).catch(onError);
    },
    presenceRate: () => presenceRate,
    stop() {},
  };
}
