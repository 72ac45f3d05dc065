/**
 * The React hooks in a real page (StrictMode, React's development build): `window.reactPage`
 * shows a logs window and one row per entity id, and counts each component's commits.
 */
import { createElement as h, StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { connectGateway, type Diagnostics } from "../../src";
import { GatewayProvider, useEntity, useLogs, useSession } from "../../src/react";

interface Shown {
  guild: string | null;
  rowIds: string[];
}

const params = new URLSearchParams(location.search);
const client = connectGateway({ url: params.get("gateway") ?? "" });
let show: (s: Shown) => void = () => {};

const page = {
  client,
  /** Commits per component (an effect without deps runs after every commit of its component). */
  commits: { logs: 0, session: 0, rows: {} as Record<string, number> },
  /** What the logs window and the rows showed at their last render. */
  shown: { lastSeq: 0, windowSize: 0, received: 0, rows: {} as Record<string, string> },
  /** `logs$` batches seen by a plain subscription beside the hook. */
  batches: 0,
  sizes: [] as number[],
  mounted: false,
  diagnostics: null as Diagnostics | null,
  show: (s: Shown) => show(s),
  countBatches(guild: string) {
    client.logs$(guild).subscribe((b) => {
      page.batches += 1;
      page.sizes.push(b.length);
    });
  },
};
client.diagnostics$.subscribe((d) => (page.diagnostics = d));
(window as unknown as { reactPage: typeof page }).reactPage = page;

function LogsWindow(props: { guild: string }) {
  const logs = useLogs(props.guild, { limit: 50 });
  page.shown.lastSeq = logs.entries.at(-1)?.seq ?? 0;
  page.shown.windowSize = logs.entries.length;
  page.shown.received = logs.received;
  useEffect(() => {
    page.commits.logs += 1;
  });
  return h("p", null, `${logs.entries.length} entries, last ${logs.entries.at(-1)?.seq ?? "none"}`);
}

function Row(props: { guild: string; id: string }) {
  const snapshot = useEntity("autoResponse", props.id, { guildId: props.guild });
  const text = snapshot?.entity
    ? JSON.stringify(snapshot.entity)
    : `${snapshot?.status ?? "none"}${snapshot?.missing ? " missing" : ""}`;
  page.shown.rows[props.id] = text;
  useEffect(() => {
    page.commits.rows[props.id] = (page.commits.rows[props.id] ?? 0) + 1;
  });
  return h("li", null, text);
}

function SessionLine() {
  const session = useSession();
  useEffect(() => {
    page.commits.session += 1;
  });
  return h("p", null, session?.status ?? "unknown");
}

function App() {
  const [shown, setShown] = useState<Shown>({ guild: null, rowIds: [] });
  useEffect(() => {
    show = setShown;
    page.mounted = true;
  }, []);
  const { guild } = shown;
  return h(
    "div",
    null,
    h(SessionLine),
    guild === null ? null : h(LogsWindow, { guild }),
    guild === null ? null : h("ul", null, ...shown.rowIds.map((id) => h(Row, { key: id, guild, id }))),
  );
}

createRoot(document.getElementById("root")!).render(
  h(StrictMode, null, h(GatewayProvider, { client }, h(App))),
);
