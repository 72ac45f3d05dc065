import { isHighlighted, type PanelState } from "./panelModel";

type Rows = [label: string, value: string][];

/** "3 s ago", "in 2 min": a time relative to `now`. */
export function relative(at: number, now: number): string {
  const s = Math.round((at - now) / 1000);
  const abs = Math.abs(s);
  const text =
    abs < 60 ? `${abs} s` : abs < 3600 ? `${Math.round(abs / 60)} min` : `${Math.round(abs / 3600)} h`;
  return s >= 0 ? `in ${text}` : `${text} ago`;
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

/** The panel's sections, as label/value rows (strings only: rendered as text, never as HTML). */
export function sectionsOf(state: PanelState, now: number): [title: string, rows: Rows][] {
  const { connection: c, session: s, spectating: sp, diagnostics: d } = state;
  const sections: [string, Rows][] = [];
  sections.push([
    "Connection",
    [
      ["status", c?.status ?? "…"],
      ["socket", c?.socketId ?? "none"],
      ["gateway", c?.url ?? "none yet"],
      ["last error", c?.lastError ?? "none"],
    ],
  ]);
  if (d)
    sections.push([
      "Worker",
      [
        ["mode", d.mode],
        ["leader tab", d.leaderTabId ?? "—"],
        ["tabs", String(d.tabs)],
        ["worker id", d.workerId],
        ["build", `${d.versions.build} (protocol ${d.versions.protocol}, tabs ${d.versions.tabProtocol})`],
        ["pending requests", String(d.pendingRequests)],
        ["backlogs per tab", d.backlogs.join(", ") || "—"],
        [
          "subscriptions",
          Object.entries(d.subscriptions)
            .map(([kind, n]) => `${kind} ${n}`)
            .join(", ") || "none",
        ],
      ],
    ]);
  const session: Rows = [["status", s?.status ?? "…"]];
  if (s?.status === "authenticated")
    session.push(
      ["user", s.userId],
      ["expires", relative(s.expiresAt, now)],
      ["admin", s.admin ? "yes" : "no"],
      ["guilds", String(Object.keys(s.guilds).length)],
    );
  session.push(["token", "never shown (held by the worker only)"]);
  sections.push(["Session", session]);
  sections.push([
    "Spectating",
    [
      ["guild", sp?.guildId ?? "none"],
      ["logs", sp?.includeLogs ? "on" : "off"],
      ["pending", sp?.pending ? "yes" : "no"],
      ["batching", d?.spectating.batchMs ? `${d.spectating.batchMs} ms` : "single frames"],
    ],
  ]);
  if (d)
    sections.push([
      "Cache",
      [
        ["status", d.cache.reason ? `${d.cache.status}: ${d.cache.reason}` : d.cache.status],
        ["partitions / pools", `${d.cache.partitions} / ${d.cache.pools}`],
        ["size", kB(d.cache.approxBytes)],
        ["hits / misses", `${d.cache.hits} / ${d.cache.misses}`],
        ["writes", String(d.cache.writes)],
      ],
    ]);
  return sections;
}

/** An element of `doc` with its text (as text, never HTML) and class. */
export const el = <K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  text?: string,
  cls?: string,
) => {
  const node = doc.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
};

/** Replaces `body`'s content with the state's sections, the timeline and the trouble counters. */
export function renderPanel(body: HTMLElement, state: PanelState, now: number): void {
  const doc = body.ownerDocument;
  const nodes: HTMLElement[] = [];
  for (const [title, rows] of sectionsOf(state, now)) {
    const section = el(doc, "section");
    section.append(el(doc, "h3", title));
    const list = el(doc, "dl");
    for (const [label, value] of rows) list.append(el(doc, "dt", label), el(doc, "dd", value));
    section.append(list);
    nodes.push(section);
  }
  const timeline = el(doc, "section");
  timeline.append(el(doc, "h3", "Timeline"));
  const steps = el(doc, "ol", undefined, "agd-timeline");
  for (const t of state.timeline)
    steps.append(el(doc, "li", `${relative(t.at, now)}: ${t.status}${t.reason ? ` (${t.reason})` : ""}`));
  if (state.timeline.length === 0) steps.append(el(doc, "li", "nothing yet"));
  timeline.append(steps);
  nodes.push(timeline);
  const trouble = el(doc, "section");
  trouble.append(el(doc, "h3", "Trouble counters"));
  const counters = el(doc, "ul", undefined, "agd-trouble");
  for (const t of state.trouble) {
    const moved = isHighlighted(t, now);
    const item = el(
      doc,
      "li",
      `${t.name}: ${t.value}${moved ? " (moved)" : ""}`,
      moved ? "agd-moved" : undefined,
    );
    counters.append(item);
  }
  trouble.append(counters);
  nodes.push(trouble);
  body.replaceChildren(...nodes);
}
