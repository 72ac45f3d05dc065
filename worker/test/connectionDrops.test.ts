import { afterEach, describe, expect, it } from "vitest";
import { dropSockets } from "../../demo/gateway/context";
import type { Entity } from "../../src/protocol";
import type { SpectatingState } from "../../src/shared";
import { startHubHarness, type HubHarness } from "./hubHarness";

let h: HubHarness;
afterEach(async () => h?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sorted = (entities: Iterable<Entity>) =>
  JSON.stringify([...entities].map((e) => JSON.stringify(e)).sort());

describe("hub: connection drops under load", () => {
  for (const replayBeforeAnswer of [false, true])
    it(`every log seq exactly once, pools equal the gateway's (replay ${replayBeforeAnswer ? "before" : "after"} the spectate answer)`, async () => {
      h = await startHubHarness({ gateway: { faults: { replayBeforeAnswer } } });
      const gw = h.gw.gateway;
      const guild = h.gw.guildId("Architus Hub");
      const a = h.tab();
      // dave may see private entries: every seq of the guild's log reaches him.
      await h.hub.login(a.id, await h.gw.token("dave"));
      const spectating = a.subscribe({ kind: "spectating" });
      const logs = a.subscribe({ kind: "logs", guildId: guild });
      const pool = a.subscribe({ kind: "pool", type: "autoResponse", guildId: guild, ids: "all" });
      await h.hub.spectate(a.id, guild, {});
      await a.until(() => a.latest<SpectatingState>(spectating)?.includeLogs === true);
      await a.until(() => a.pools.get(pool)?.last?.status === "ready");

      const topic = `${guild}_logs`;
      const from = gw.context.events.latest(topic) + 1;
      // 300 entries/s for 3 s (a pool change now and then), the sockets dropped every second.
      const start = Date.now();
      let published = 0;
      let drops = 0;
      while (Date.now() - start < 3000 || drops < 3) {
        const due = Math.floor(((Date.now() - start) / 1000) * 300) - published;
        if (due > 0) {
          published += await gw.activity.publish(guild, "message", due);
          await gw.activity.publish(guild, "pool_update", 1);
        }
        // The next drop once the worker is back and spectating with logs (reconnections are jittered).
        if (
          Date.now() - start > (drops + 1) * 1000 - 500 &&
          drops < 3 &&
          gw.stats().rooms[`guild:${guild}:logs`] === 1
        )
          drops += dropSockets(gw.context);
        await sleep(10);
      }
      const to = gw.context.events.latest(topic);
      await a.until(() => new Set((a.logs.get(logs) ?? []).map((e) => e.seq)).size >= to - from + 1, 20_000);
      const seqs = (a.logs.get(logs) ?? []).map((e) => e.seq).filter((s) => s >= from && s <= to);
      const seen = new Set(seqs);
      expect(drops).toBe(3);
      expect(seqs.length - seen.size).toBe(0); // duplicated
      expect(to - from + 1 - seen.size).toBe(0); // lost
      const truth = gw.context.dataset.guilds.get(guild)!.pools.autoResponse;
      await a.until(() => sorted(a.pool(pool).entities.values()) === sorted(truth.values()), 10_000);
    });
});
