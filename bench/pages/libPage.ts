/** Bench tab using the library: `window.bench` is driven over CDP by bench/run.ts. */
import { connectGateway } from "../../src";
import { Recorder, roundTrips } from "./recorder";

const params = new URLSearchParams(location.search);
// `?mode=leader`: leader mode (the bench compares it with the shared worker); `?batch=0`: single
// frames from the gateway (Extension 1 off).
const batch = params.get("batch");
const gateway = connectGateway({
  url: params.get("gateway") ?? "",
  ...(params.get("mode") === "leader" ? { mode: "leader" as const } : {}),
  ...(batch !== null ? { batchMs: Number(batch) } : {}),
});
// `?devtools=1`: the devtools panel open on this page (its main-thread cost is measured).
if (params.has("devtools"))
  void import("../../src/devtools").then(({ mountDevtools }) =>
    mountDevtools(document.body, gateway, { open: true }),
  );
const recorder = new Recorder();
let messageId = 0;
/** `logs$` emissions so far (one per delivered batch of entries). */
let batches = 0;

const bench = {
  ready: () => gateway.ready.then((r) => r.workerId),
  async login(token: string, guildId: string) {
    await gateway.login(token);
    await gateway.spectate(guildId);
  },
  subscribeLogs(guildId: string) {
    return new Promise<void>((resolve) => {
      gateway.logs$(guildId).subscribe((batch) => {
        batches++;
        for (const entry of batch) recorder.record(entry.seq, entry.action.timestamp);
      });
      const sub = gateway.spectating$.subscribe((s) => {
        if (s.includeLogs) {
          resolve();
          queueMicrotask(() => sub.unsubscribe());
        }
      });
    });
  },
  start: () => recorder.start(),
  tabId: () => gateway.ready.then((r) => r.tabId),
  /** Resolves (with the time) once another tab than `old` leads and its worker is connected. */
  newLeader: (old: string) =>
    new Promise<number>((resolve) => {
      const sub = gateway.diagnostics$.subscribe((d) => {
        if (d.leaderTabId === old || d.connection.status !== "connected") return;
        resolve(Date.now());
        queueMicrotask(() => sub.unsubscribe());
      });
    }),
  /** The tab whose worker serves this one (leader mode), once the worker says. */
  leaderTabId: () =>
    new Promise<string>((resolve) => {
      const sub = gateway.diagnostics$.subscribe((d) => {
        if (d.leaderTabId === null) return;
        resolve(d.leaderTabId);
        queueMicrotask(() => sub.unsubscribe());
      });
    }),
  stop: () => recorder.stop(),
  /** Renders of the devtools panel so far (`?devtools=1`), and whether the page is visible. */
  devtools: () => ({
    renders: Number(document.querySelector<HTMLElement>(".agd-host")?.dataset.renders ?? 0),
    visible: document.visibilityState === "visible",
  }),
  batches: () => batches,
  /** A Comlink call that does nothing in the worker: the floor of a call through the library. */
  callRtt: (n: number) => roundTrips(n, () => gateway.setTokenRefresher(null)),
  rtt: (n: number) =>
    roundTrips(n, () =>
      gateway.interpret({ guild_id: "1", message_id: String((messageId += 2)), content: "!ping" }),
    ),
};
(window as unknown as { bench: typeof bench }).bench = bench;
