/**
 * A hostile page of the app's origin (issue 8, item 10): garbage on a port of the worker, calls
 * with wrong types, 10,000 subscriptions, 100,000 ids, huge strings. Each gets a typed error or
 * meets a documented limit; another tab streaming logs meanwhile loses nothing and receives
 * nothing of it; the worker's retained heap stays bounded and comes back when the page goes.
 */
import { RawTarget } from "../bench/rawTarget";
import { delivery } from "../bench/stats";
import { WORKER_NAME, type Diagnostics } from "../src";
import { recordFigure } from "./figures";
import { expect, test } from "./fixtures";
import { openTab } from "./helpers";
import { arrivalsOf, openLogTabs } from "./logTabs";

const MARKER = "HOSTILE-MARKER";
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

test("a hostile tab gets typed errors and limits; the other tab is unaffected; the worker's heap stays bounded", async ({
  browser,
  gateway,
  app,
}) => {
  test.setTimeout(120_000);
  const { context, tabs, guild } = await openLogTabs(browser, app.url, gateway, 1);
  const good = tabs[0]!;
  await good.evaluate(() => {
    const { gateway: gw, track } = window.clientPage;
    track("session", gw.session$);
    track("spectating", gw.spectating$);
    track("diagnostics", gw.diagnostics$);
  });
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send("Target.getTargets");
  const workerTarget = targetInfos.find((t) => t.type === "shared_worker");
  if (!workerTarget) throw new Error("no shared worker");
  const worker = await RawTarget.attach(cdp, workerTarget.targetId);
  const baseline = await worker.heapUsed();

  const topic = `${guild}_logs`;
  const from = gateway.context.events.latest(topic) + 1;
  let publishing = true;
  const publisher = (async () => {
    while (publishing) {
      await gateway.activity.publish(guild, "message", 10);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  const hostile = await openTab(context, app.url, gateway);
  const outcome = await hostile.evaluate(
    async ({ guild, marker, workerUrl, workerName }) => {
      const gw = window.clientPage.gateway;
      const codeOf = (e: unknown) => String((e as { code?: unknown }).code);
      const settle = (p: Promise<unknown>) => p.then(() => "resolved", codeOf);
      /** How an observable made by `make` ends: its first value, its error, or the make's throw. */
      const observed = (make: () => { subscribe: (o: object) => unknown }) =>
        new Promise<string>((resolve) => {
          try {
            make().subscribe({ next: () => resolve("accepted"), error: (e: unknown) => resolve(codeOf(e)) });
          } catch (e) {
            resolve(codeOf(e));
          }
        });
      // 10,000 subscriptions (distinct, so none is shared in the tab).
      const subscriptions = await Promise.all(
        Array.from(
          { length: 10_000 },
          (_, i) =>
            new Promise<string>((resolve) => {
              gw.pool("role", { guildId: guild })
                .entities$([String(1_000_000 + i)])
                .subscribe({ next: () => resolve("accepted"), error: (e: unknown) => resolve(codeOf(e)) });
            }),
        ),
      );
      const tally: Record<string, number> = {};
      for (const s of subscriptions) tally[s] = (tally[s] ?? 0) + 1;
      const ids = Array.from({ length: 100_000 }, (_, i) => String(i + 1));
      const hundredThousandIds = await new Promise<string>((resolve) =>
        gw
          .pool("member", { guildId: guild })
          .entities$(ids)
          .subscribe({ next: () => resolve("accepted"), error: (e: unknown) => resolve(codeOf(e)) }),
      );
      const huge = marker.repeat(400_000); // 5.6 MB
      const calls = {
        hugeToken: await settle(gw.login(huge)),
        numberToken: await settle(gw.login(123 as unknown as string)),
        hugeGuild: await settle(gw.spectate(huge)),
        objectGuild: await settle(gw.spectate({ marker } as unknown as string)),
        hugeInterpret: await settle(gw.interpret({ guild_id: "7", message_id: "2", content: huge })),
        badInterpret: await settle(gw.interpret({ marker } as never)),
        badPoolType: await observed(() => gw.pool(marker as never, { guildId: guild }).all$()),
        // Arguments that cannot be cloned to the worker, and ids that are not an array of strings.
        uncloneableInterpret: await settle(
          gw.interpret({ guild_id: "7", message_id: "2", content: "!ping", extra: () => 1 } as never),
        ),
        uncloneableSearch: await observed(() =>
          gw.pool("member", { guildId: guild }).search$("a", { limit: (() => 20) as never }),
        ),
        objectQuery: await observed(() => gw.pool("member", { guildId: guild }).search$({ marker } as never)),
        stringIds: await observed(() => gw.pool("role", { guildId: guild }).entities$("all" as never)),
        bigintIds: await observed(() => gw.pool("role", { guildId: guild }).entities$([1n] as never)),
        numberId: await observed(() => gw.pool("role", { guildId: guild }).entity$(7 as never)),
      };
      // Garbage straight onto a port of the same worker, and calls with the wrong shapes.
      const port = new SharedWorker(workerUrl, { type: "module", name: workerName }).port;
      const replies: unknown[] = [];
      port.onmessage = (event: MessageEvent) => replies.push(event.data);
      port.start();
      const garbage: unknown[] = [
        marker,
        null,
        42,
        [marker],
        { type: "APPLY" },
        { id: "g1", type: "GET", path: ["__proto__", "constructor"] },
        { id: "g2", type: "SET", path: ["login"], value: { type: "RAW", value: marker } },
        { id: "g3", type: "APPLY", path: ["nope"], argumentList: [] },
        { id: "g4", type: "APPLY", path: ["subscribe"], argumentList: [{ type: "RAW", value: marker }] },
        { id: "g5", type: "APPLY", path: ["login"], argumentList: [{ type: "RAW", value: marker }] },
        { marker: huge },
      ];
      for (const message of garbage) port.postMessage(message);
      await new Promise((r) => setTimeout(r, 1000));
      port.close();
      return { tally, hundredThousandIds, calls, replies: JSON.stringify(replies) };
    },
    { guild, marker: MARKER, workerUrl: workerTarget.url, workerName: WORKER_NAME },
  );
  const peak = await worker.heapUsed();
  await hostile.close();
  publishing = false;
  await publisher;
  // The worker has let the page go (its subscriptions with it).
  await good.waitForFunction(() => window.clientPage.last<Diagnostics>("diagnostics")?.tabs === 1);
  const after = await worker.heapUsed();

  // The limits, each a typed error.
  expect(outcome.tally).toEqual({ accepted: 1000, bad_input: 9000 });
  expect(outcome.hundredThousandIds).toBe("bad_input");
  expect(outcome.calls).toEqual({
    hugeToken: "bad_input",
    numberToken: "bad_input",
    hugeGuild: "bad_input",
    objectGuild: "bad_input",
    hugeInterpret: "bad_input",
    badInterpret: "bad_input",
    badPoolType: "bad_input",
    uncloneableInterpret: "bad_input",
    uncloneableSearch: "bad_input",
    objectQuery: "bad_input",
    stringIds: "bad_input",
    bigintIds: "bad_input",
    numberId: "bad_input",
  });
  // Calls on a port that never said hello: typed `closed` answers, never the worker's internals.
  expect(outcome.replies).not.toContain("constructor");
  expect(outcome.replies).toContain('"code":"closed"');

  // The other tab: every entry once, and nothing of the hostile page's input.
  const to = gateway.context.events.latest(topic);
  const seqs = (await arrivalsOf(good, to - from + 1))
    .map(([seq]) => seq)
    .filter((s) => s >= from && s <= to);
  expect(delivery(seqs, from, to)).toEqual({ lost: 0, duplicated: 0 });
  const seen = await good.evaluate(() => JSON.stringify(window.clientPage.seen));
  expect(seen).not.toContain(MARKER);
  expect(await good.evaluate(() => Object.keys(window.clientPage.errors))).toEqual([]);

  // Bounded while the page held 1,000 subscriptions, and released once it went.
  expect(peak - baseline).toBeLessThan(8e6);
  expect(after - baseline).toBeLessThan(2e6);
  recordFigure("hostile-tab", {
    fault:
      "hostile tab (10,000 subscriptions, 100,000 ids, 5.6 MB strings, wrong types, garbage on a worker port)",
    figure: `1,000 subscriptions accepted, 9,000 and every bad call refused bad_input, port garbage answered closed; the other tab 0 lost of ${to - from + 1}; worker heap ${mb(baseline)} MB → ${mb(peak)} MB with the page → ${mb(after)} MB after it closed`,
    target: "typed errors or limits; others unaffected; worker memory bounded",
    met: true,
  });
  await context.close();
});
