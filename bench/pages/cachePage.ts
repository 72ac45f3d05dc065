/** Bench tab for the IndexedDB cache: `window.bench` is driven over CDP by bench/cache.ts. */
import type { Subscription } from "rxjs";
import { connectGateway, type PoolSnapshot, type PoolType } from "../../src";
import { diagnosticsOnce } from "./diagnosticsOnce";
import { Recorder } from "./recorder";

/** What `wholePool` resolves with. */
export interface WholePool {
  first100Ms: number;
  ms: number;
  source: string;
  count: number;
  /** Wall clock (ms since epoch) when it was asked for, and when it was ready. */
  startedAt: number;
  readyAt: number;
}

const params = new URLSearchParams(location.search);
const gateway = connectGateway({
  url: params.get("gateway") ?? "",
  cache: params.get("cache") === "0" ? false : {},
});
const kept: Subscription[] = [];
const recorder = new Recorder();
const latest = new Map<string, PoolSnapshot<unknown>>();

const bench = {
  ready: () => gateway.ready.then((r) => r.workerId),
  /**
   * Subscribes to the guild's whole pools, then logs in and spectates: ms from `login()` to the
   * first `ready` snapshot of the first pool (and where it came from), and to the first snapshot
   * of it with 100 entities or more (`first100Ms`). Subscriptions are kept.
   */
  firstReady(token: string, guildId: string, types: PoolType[]) {
    return new Promise<{ ms: number; first100Ms: number; source: string; count: number }>(
      (resolve, reject) => {
        let started = 0;
        let first100Ms = Number.NaN;
        let done = false;
        types.forEach((type, i) =>
          kept.push(
            gateway
              .pool(type, { guildId })
              .all$()
              .subscribe((s) => {
                latest.set(type, s);
                if (i === 0 && started > 0 && Number.isNaN(first100Ms) && s.entities.length >= 100)
                  first100Ms = performance.now() - started;
                if (i === 0 && !done && started > 0 && s.status === "ready") {
                  done = true;
                  resolve({
                    ms: performance.now() - started,
                    first100Ms,
                    source: s.source,
                    count: s.entities.length,
                  });
                }
              }),
          ),
        );
        started = performance.now();
        gateway
          .login(token)
          .then(() => gateway.spectate(guildId, { includeLogs: false }))
          .catch(reject);
      },
    );
  },
  /** Logs in, spectates `guildId` with its logs and records their emit→tab latency from now on. */
  async watchLogs(token: string, guildId: string) {
    kept.push(
      gateway.logs$(guildId).subscribe((batch) => {
        for (const entry of batch) recorder.record(entry.seq, entry.action.timestamp);
      }),
    );
    await gateway.login(token);
    await gateway.spectate(guildId);
    recorder.start();
  },
  /** Latencies recorded since the last call (emit time → here, ms), with their emit times. */
  takeLogs() {
    const taken = recorder.stop();
    recorder.start();
    return taken;
  },
  /**
   * Subscribes to a guild's whole pool (logged in already): ms to 100 entities, and to ready, and
   * the wall clock (ms since epoch) at the start and at ready.
   */
  wholePool(guildId: string, type: PoolType) {
    return new Promise<WholePool>((resolve) => {
      const started = performance.now();
      const startedAt = Date.now();
      let first100Ms = Number.NaN;
      let done = false;
      kept.push(
        gateway
          .pool(type, { guildId })
          .all$()
          .subscribe((s) => {
            if (Number.isNaN(first100Ms) && s.entities.length >= 100)
              first100Ms = performance.now() - started;
            if (done || s.status !== "ready") return;
            done = true;
            resolve({
              first100Ms,
              ms: performance.now() - started,
              source: s.source,
              count: s.entities.length,
              startedAt,
              readyAt: Date.now(),
            });
          }),
      );
    });
  },
  /** Whether every kept pool is ready with the gateway's data. */
  fresh: () => [...latest.values()].every((s) => s.status === "ready" && s.source === "network"),
  diagnostics: () => diagnosticsOnce(gateway),
};
(window as unknown as { bench: typeof bench }).bench = bench;
