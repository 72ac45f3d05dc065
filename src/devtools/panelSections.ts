import type { Diagnostics } from "../shared";
import { isHighlighted, type PanelState } from "./panelModel";
import { latencySummary, ratesOf } from "./panelStats";
import { browsable, poolRowKey } from "./poolBrowser";

export type Rows = [label: string, value: string][];

/** One row of a table; `browse`: the pool key its button expands (browsable pools only). */
export interface TableRow {
  cells: string[];
  browse?: { key: string; expanded: boolean };
}

/** What a section shows: label/value rows, a list, a table or a sparkline (all text: never HTML). */
export type Block =
  | { kind: "rows"; rows: Rows }
  | { kind: "list"; label: string; items: { text: string; warn?: boolean }[] }
  | { kind: "table"; caption: string; head: string[]; rows: TableRow[] }
  | { kind: "sparkline"; label: string; values: number[] };

export interface Section {
  title: string;
  blocks: Block[];
}

/** "3 s ago", "in 2 min": a time relative to `now`. */
export function relative(at: number, now: number): string {
  const abs = Math.round(Math.abs(at - now) / 1000);
  const text =
    abs < 60 ? `${abs} s` : abs < 3600 ? `${Math.round(abs / 60)} min` : `${Math.round(abs / 3600)} h`;
  return at >= now ? `in ${text}` : `${text} ago`;
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const count = (d: Diagnostics | null, name: string) => String(d?.counters[name] ?? 0);
const kinds = (subscriptions: Record<string, number>) =>
  Object.entries(subscriptions)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(", ") || "none";

function connection(state: PanelState, now: number): Section {
  const { connection: c, diagnostics: d } = state;
  const retry = c?.retryAt != null && c.retryAt > now ? ` · next attempt ${relative(c.retryAt, now)}` : "";
  const transitions = d?.transitions ?? [];
  return {
    title: "Connection",
    blocks: [
      {
        kind: "rows",
        rows: [
          ["status", `${c?.status ?? "…"}${retry}`],
          ["socket", c?.socketId ?? "none"],
          ["transport", c?.transport ?? "none"],
          ["gateway", c?.url ?? "none yet"],
          ["last error", c?.lastError ?? "none"],
          ["gateway restarts seen", count(d, "logGap:gateway_restart")],
        ],
      },
      {
        kind: "list",
        label: "Timeline",
        items:
          transitions.length === 0
            ? [{ text: "nothing yet" }]
            : transitions.map((t) => ({
                text: `${relative(t.at, now)}: ${t.status}${t.reason ? ` (${t.reason})` : ""}`,
              })),
      },
    ],
  };
}

function worker(d: Diagnostics, tabId: string | null): Section {
  return {
    title: "Worker and tabs",
    blocks: [
      {
        kind: "rows",
        rows: [
          ["mode", d.mode],
          ["leader tab", d.leaderTabId ?? "—"],
          ["worker id", d.workerId],
          ["build", `${d.versions.build} (protocol ${d.versions.protocol}, tabs ${d.versions.tabProtocol})`],
          ["pending requests", String(d.pendingRequests)],
        ],
      },
      {
        kind: "table",
        caption: `Tabs (${d.tabs})`,
        head: ["tab", "subscriptions", "backlog", "delivery latency"],
        rows: d.tabList.map((t) => ({
          cells: [
            `${t.id.slice(0, 8)}${t.id === tabId ? " (this tab)" : ""}${t.devtools ? " · devtools" : ""}`,
            kinds(t.subscriptions),
            String(t.backlog),
            latencySummary(t.latencyMs),
          ],
        })),
      },
    ],
  };
}

function session(state: PanelState, now: number): Section {
  const { session: s, diagnostics: d } = state;
  const rows: Rows = [["status", s?.status ?? "…"]];
  if (s?.status === "authenticated" || s?.status === "authenticating" || s?.status === "expired")
    rows.push(["user", s.userId]);
  if (s?.status === "authenticated")
    rows.push(
      ["expires", relative(s.expiresAt, now)],
      ["admin", s.admin ? "yes" : "no"],
      ["guilds", String(Object.keys(s.guilds).length)],
    );
  if (d) rows.push(["token refresher", d.refreshers > 0 ? `yes (${d.refreshers} tab(s))` : "none"]);
  rows.push(["token", "never shown (held by the worker only)"]);
  return { title: "Session", blocks: [{ kind: "rows", rows }] };
}

function spectating(state: PanelState): Section {
  const { spectating: sp, diagnostics: d } = state;
  const guild = sp?.guildId ?? null;
  const seqs = guild !== null ? d?.seqs[guild] : undefined;
  return {
    title: "Spectating",
    blocks: [
      {
        kind: "rows",
        rows: [
          ["guild", guild ?? "none"],
          ["logs", sp?.includeLogs ? "on" : "off"],
          ["pending", sp?.pending ? "yes" : "no"],
          ["batching", d?.spectating.batchMs ? `${d.spectating.batchMs} ms` : "single frames"],
          ["seqs", seqs ? `pool ${seqs.pool} · logs ${seqs.logs}` : "—"],
          ["replayed frames", count(d, "replayedFrames")],
          [
            "log gaps",
            `history lost ${count(d, "logGap:history_lost")} · gateway restart ${count(d, "logGap:gateway_restart")}`,
          ],
        ],
      },
    ],
  };
}

function logStream(state: PanelState): Section {
  const d = state.diagnostics;
  const rates = ratesOf(state.rate);
  const latest = rates[rates.length - 1];
  const all = d?.tabList.flatMap((t) => t.latencyMs) ?? [];
  return {
    title: "Log stream",
    blocks: [
      {
        kind: "rows",
        rows: [
          ["entries / s", latest === undefined ? "—" : String(Math.round(latest))],
          ["entries received", count(d, "logEntries")],
          ["delivery latency (all tabs)", latencySummary(all)],
          ["slow-tab drops", count(d, "slowTabDropped")],
        ],
      },
      { kind: "sparkline", label: "entries per second", values: rates },
    ],
  };
}

function pools(state: PanelState, now: number): Section {
  const d = state.diagnostics;
  const browse = state.browse;
  const blocks: Block[] = [
    {
      kind: "table",
      caption: `Pools (${d?.pools.length ?? 0})`,
      head: ["pool", "entities", "loaded", "source", "updated"],
      rows: (d?.pools ?? []).map((p) => {
        const key = poolRowKey(p);
        return {
          cells: [
            `${p.type}${p.view ? ` (${p.view})` : ""}${p.guildId ? ` · ${p.guildId}` : ""}`,
            `${p.entities} · ${p.status}${p.complete ? " · whole" : ""}`,
            `${p.loaded} / ${p.total ?? "?"}`,
            `${p.source}${p.stale ? " (stale)" : ""}`,
            p.updatedAt === null ? "—" : relative(p.updatedAt, now),
          ],
          ...(browsable(p) ? { browse: { key, expanded: browse?.key === key } } : {}),
        };
      }),
    },
  ];
  if (browse)
    blocks.push({
      kind: "list",
      label: `${browse.key}: ${browse.count} entities (${browse.status})${browse.count > browse.rows.length ? `, the first ${browse.rows.length}` : ""}`,
      items: browse.error
        ? [{ text: browse.error, warn: true }]
        : browse.rows.map((r) => ({ text: r.label ? `${r.label} (${r.id})` : r.id })),
    });
  return { title: "Pools", blocks };
}

function cache(d: Diagnostics): Section {
  return {
    title: "Cache",
    blocks: [
      {
        kind: "rows",
        rows: [
          ["status", d.cache.reason ? `${d.cache.status}: ${d.cache.reason}` : d.cache.status],
          ["partitions / pools", `${d.cache.partitions} / ${d.cache.pools}`],
          ["size", kB(d.cache.approxBytes)],
          ["hits / misses", `${d.cache.hits} / ${d.cache.misses}`],
          ["writes", String(d.cache.writes)],
        ],
      },
    ],
  };
}

/** The panel's sections, in order. */
export function sectionsOf(state: PanelState, now: number): Section[] {
  const d = state.diagnostics;
  const sections = [connection(state, now)];
  if (d) sections.push(worker(d, state.tabId));
  sections.push(session(state, now), spectating(state), logStream(state), pools(state, now));
  if (d) sections.push(cache(d));
  sections.push({
    title: "Trouble counters",
    blocks: [
      {
        kind: "list",
        label: "Counters that mean trouble (highlighted for 10 s when they move)",
        items: state.trouble.map((t) => {
          const moved = isHighlighted(t, now);
          return { text: `${t.name}: ${t.value}${moved ? " (moved)" : ""}`, warn: moved };
        }),
      },
    ],
  });
  return sections;
}
