/** Bench tab for the IndexedDB cache: `window.bench` is driven over CDP by bench/cache.ts. */
import type { Subscription } from "rxjs";
import { connectGateway, type PoolSnapshot, type PoolType } from "../../src";
import { diagnosticsOnce } from "./diagnosticsOnce";

const params = new URLSearchParams(location.search);
const gateway = connectGateway({
  url: params.get("gateway") ?? "",
  cache: params.get("cache") === "0" ? false : {},
});
const kept: Subscription[] = [];
const latest = new Map<string, PoolSnapshot<unknown>>();

const bench = {
  ready: () => gateway.ready.then((r) => r.workerId),
  /**
   * Subscribes to the guild's whole pools, then logs in and spectates: ms from `login()` to the
   * first `ready` snapshot of the first pool (and where it came from). Subscriptions are kept.
   */
  firstReady(token: string, guildId: string, types: PoolType[]) {
    return new Promise<{ ms: number; source: string; count: number }>((resolve, reject) => {
      let started = 0;
      let done = false;
      types.forEach((type, i) =>
        kept.push(
          gateway
            .pool(type, { guildId })
            .all$()
            .subscribe((s) => {
              latest.set(type, s);
              if (i === 0 && !done && started > 0 && s.status === "ready") {
                done = true;
                resolve({ ms: performance.now() - started, source: s.source, count: s.entities.length });
              }
            }),
        ),
      );
      started = performance.now();
      gateway
        .login(token)
        .then(() => gateway.spectate(guildId, { includeLogs: false }))
        .catch(reject);
    });
  },
  /** Whether every kept pool is ready with the gateway's data. */
  fresh: () => [...latest.values()].every((s) => s.status === "ready" && s.source === "network"),
  diagnostics: () => diagnosticsOnce(gateway),
};
(window as unknown as { bench: typeof bench }).bench = bench;
