/**
 * Writes docs/RELIABILITY.md from the figures the fault scenarios recorded
 * (bench/results/faults/*.json, written by e2e/figures.ts): one row per fault.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import type { FaultFigure } from "../e2e/figures";

const dir = "bench/results/faults";
const rows = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map(
        (f) => JSON.parse(readFileSync(`${dir}/${f}`, "utf8")) as FaultFigure & { full: boolean; at: string },
      )
  : [];
const cell = (text: string) => text.replace(/\|/g, "\\|");
const lines = [
  "# Reliability",
  "",
  "Written by `npm run faults` (the fault scenarios of `e2e/` in real Chromium at full size, against",
  "the reference gateway on this 2-core machine); `npm test` runs the same scenarios reduced, as",
  "assertions. Figures of the last run; a row is missing when its scenario did not finish.",
  "",
  "| fault | measured | target | met |",
  "| --- | --- | --- | --- |",
  ...rows.map(
    (r) =>
      `| ${cell(r.fault)}${r.full ? "" : " (reduced)"} | ${cell(r.figure)} | ${cell(r.target)} | ${r.met ? "yes" : "no"} |`,
  ),
  "",
  "Also proven on every `npm test`, in Node against the real gateway (`worker/test/`), without figures:",
  "",
  "- drops under load, both replay orders: every seq once, pools equal the gateway's (`hubDrops`);",
  "- a gateway restart: re-elevated, re-spectated, pools reloaded, a typed `gateway_restart` gap in the log stream (`hubRestart`);",
  "- 22,000 malformed frames of every server event: nothing reaches a tab, nothing changes, all counted (`hubBadFrames`);",
  "- archit.us's entity dialect: ISO `joined_at`, one malformed entity dropped alone, numeric interpret actions (`hubDialect`, `inbound`);",
  "- bad calls from a tab: 1,000 subscriptions per tab, 10,000 ids, bounded strings, typed `bad_input` (`hubGuards`);",
  "- a tab that stops taking deliveries: held to its backlog, a `slow_tab` gap, the others get everything (`hubSlowTab`, `deliveryQueue`);",
  "- token expiry: 3 s tokens refreshed across 8 s of requests, 0 failed; without a refresher, expired, then recovered (`hubExpiryAndPermissions`);",
  "- permissions across drops and replays: no private entry, no setting (`hubExpiryAndPermissions`);",
  "- another user's login: nothing of the previous user from the call on; logins of one user coalesce (`hubCache`, `hubLogins`);",
  "- the gateway answers a missing or malformed token 401 (`demo/gateway/test/elevation`);",
  "- 10,000 malformed payloads of every client event: each answered 4xx, no state changed (`demo/gateway/test/fuzz`).",
  "",
  "And in Chromium on every `npm test`, without a row here: the app on two origins gets two workers, sockets and",
  "sessions, and another origin's worker is refused (`e2e/crossOrigin`); the worker falls back to long polling",
  "where WebSocket is blocked (`e2e/consumerApps`).",
  "",
  rows.length > 0
    ? `Last run: ${rows
        .map((r) => r.at)
        .sort()
        .at(-1)}.`
    : "No figures recorded yet: run `npm run faults`.",
  "",
];
writeFileSync("docs/RELIABILITY.md", lines.join("\n"));
console.log(`docs/RELIABILITY.md: ${rows.length} fault(s)`);
