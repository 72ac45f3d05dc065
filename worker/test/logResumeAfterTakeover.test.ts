import { afterEach, describe, expect, it } from "vitest";
import type { LogGap } from "../../src/shared";
import { defaultSocketFactory } from "../gateway/gatewayLink";
import { Hub } from "../hub";
import { FakeTab } from "./fakeTab";
import { startHubHarness, type HubHarness } from "./hubHarness";

let h: HubHarness;
let next: Hub | null = null;
afterEach(async () => {
  next?.link.close();
  next = null;
  await h?.stop();
});

describe("hub: a worker that takes over resumes log streams after the tabs' seqs", () => {
  it("replays what was published while no worker ran, exactly once; a tab that comes later gets what the worker kept, or from further back is told of its gap", async () => {
    h = await startHubHarness();
    const gw = h.gw.gateway;
    const guild = h.gw.guildId("Architus Hub");
    const token = await h.gw.token("dave");
    const old = h.tab();
    await h.hub.login(old.id, token);
    const oldLogs = old.subscribe({ kind: "logs", guildId: guild });
    await h.hub.spectate(old.id, guild, {});
    await gw.activity.publish(guild, "message", 20);
    await old.until(() => old.logs.get(oldLogs)?.length === 20);
    const seqs = old.logs.get(oldLogs)!.map((e) => e.seq);
    // The worker ends; entries go on being published meanwhile.
    h.hub.link.close();
    await gw.activity.publish(guild, "message", 15);

    next = new Hub({
      clock: h.hub.options.clock,
      socketFactory: defaultSocketFactory,
      workerId: "next",
      buildId: "test",
    });
    // One tab had everything the old worker sent, another had lost its last 5 (in flight).
    const a = new FakeTab(next, gw.url);
    const b = new FakeTab(next, gw.url);
    const aLogs = a.subscribe({ kind: "logs", guildId: guild, since: seqs[19]! });
    const bLogs = b.subscribe({ kind: "logs", guildId: guild, since: seqs[14]! });
    await next.login(a.id, token);
    await next.spectate(a.id, guild, {});
    await a.until(() => a.logs.get(aLogs)?.length === 15);
    await b.until(() => b.logs.get(bLogs)?.length === 20);
    const latest = gw.context.events.latest(`${guild}_logs`);
    expect(a.logs.get(aLogs)!.map((e) => e.seq)).toEqual(range(seqs[19]! + 1, latest));
    expect(b.logs.get(bLogs)!.map((e) => e.seq)).toEqual(range(seqs[14]! + 1, latest));
    expect(a.gaps.get(aLogs)).toBeUndefined();
    expect(b.gaps.get(bLogs)).toBeUndefined();

    // A tab that comes later (it said hello after the stream flowed again), from a seq the new
    // worker has delivered since: what it missed comes from the entries the worker keeps, in order.
    const d = new FakeTab(next, gw.url);
    const dLogs = d.subscribe({ kind: "logs", guildId: guild, since: seqs[17]! });
    await d.until(() => d.logs.get(dLogs)?.at(-1)?.seq === latest);
    expect(d.logs.get(dLogs)!.map((e) => e.seq)).toEqual(range(seqs[17]! + 1, latest));
    expect(d.gaps.get(dLogs)).toBeUndefined();
    d.close();

    // A tab that comes from further back than anything the new worker delivered: it says so.
    const c = new FakeTab(next, gw.url);
    const cLogs = c.subscribe({ kind: "logs", guildId: guild, since: seqs[4]! });
    await c.until(() => c.gaps.get(cLogs)?.length === 1);
    expect(c.gaps.get(cLogs)![0]).toEqual<LogGap>({
      guildId: guild,
      reason: "worker_restart",
      afterSeq: seqs[4]!,
      untilSeq: latest + 1,
    });
    await gw.activity.publish(guild, "message", 3);
    for (const [tab, sub] of [
      [a, aLogs],
      [b, bLogs],
      [c, cLogs],
    ] as const)
      await tab.until(() => tab.logs.get(sub)?.at(-1)?.seq === latest + 3);
    expect(c.logs.get(cLogs)!.map((e) => e.seq)).toEqual(range(latest + 1, latest + 3));
    for (const tab of [a, b, c]) tab.close();
  });
});

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
