/**
 * Bench tab for presence (PROTOCOL.md Extension 2): `window.bench` is driven over CDP by
 * bench/presence.ts. `firstReady` times a member view from `login()`; `render` mounts a React
 * member list on the online view (usePool) and counts its renders beside the deliveries.
 */
import { createElement as h } from "react";
import { createRoot } from "react-dom/client";
import type { Subscription } from "rxjs";
import { connectGateway, type Member, type PoolSnapshot } from "../../src";
import { GatewayProvider, usePool } from "../../src/react";
import { diagnosticsOnce } from "./diagnosticsOnce";

const params = new URLSearchParams(location.search);
const gateway = connectGateway({
  url: params.get("gateway") ?? "",
  cache: params.get("cache") === "0" ? false : {},
});
const kept: Subscription[] = [];
let latest: PoolSnapshot<Member> | null = null;
const counts = { renders: 0, deliveries: 0 };

/** The online members, as a dashboard's member list renders them. */
function MemberList({ guildId }: { guildId: string }) {
  const { value } = usePool("member", { guildId, view: "online" });
  counts.renders++;
  return h(
    "ul",
    null,
    (value?.entities ?? []).slice(0, 50).map((m) => h("li", { key: m.id }, m.name)),
  );
}

const bench = {
  ready: () => gateway.ready.then((r) => r.workerId),
  /**
   * Subscribes to the guild's online view (`online`) or whole member pool, then logs in and
   * spectates: ms from `login()` to the first `ready` snapshot, where it came from, its size.
   */
  firstReady(token: string, guildId: string, view: "online" | "all") {
    return new Promise<{ ms: number; source: string; count: number }>((resolve, reject) => {
      let started = 0;
      let done = false;
      const members = gateway.pool("member", { guildId });
      kept.push(
        (view === "online" ? members.online$() : members.all$()).subscribe((s) => {
          latest = s;
          if (!done && started > 0 && s.status === "ready") {
            done = true;
            resolve({ ms: performance.now() - started, source: s.source, count: s.entities.length });
          }
        }),
      );
      started = performance.now();
      gateway
        .login(token)
        .then(() => gateway.spectate(guildId, { includeLogs: false }))
        .catch(reject);
    });
  },
  /** Whether the view is ready with the gateway's data. */
  fresh: () => latest?.status === "ready" && latest.source === "network",
  /** Mounts the React member list on the online view; deliveries of the view are counted beside it. */
  render(guildId: string) {
    kept.push(
      gateway
        .pool("member", { guildId })
        .online$()
        .subscribe(() => counts.deliveries++),
    );
    createRoot(document.getElementById("root")!).render(
      h(GatewayProvider, { client: gateway }, h(MemberList, { guildId })),
    );
  },
  counts: () => ({ ...counts }),
  diagnostics: () => diagnosticsOnce(gateway),
};
(window as unknown as { bench: typeof bench }).bench = bench;
