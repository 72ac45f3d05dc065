import type { Observable, Subscription } from "rxjs";
import type { GatewayClient } from "../client/gatewayClient";
import { GatewayError, systemClock, type Clock, type DevtoolsAction } from "../shared";
import {
  exportSnapshot,
  initialPanelState,
  reducePanel,
  type PanelEvent,
  type PanelState,
} from "./panelModel";
import { describeError } from "./describeError";
import { el, renderPanel } from "./panelView";
import { browsePool, poolRowKey } from "./poolBrowser";
import { createRenderGate } from "./renderGate";
import { PANEL_CSS } from "./panelStyle";

/** What the panel reads of a client (`ready`, `pool` and `devtools` are used when there). */
export type DevtoolsClient = Pick<
  GatewayClient,
  "connection$" | "session$" | "spectating$" | "diagnostics$" | "clearCache"
> &
  Partial<Pick<GatewayClient, "ready" | "pool" | "devtools">>;

export interface DevtoolsOptions {
  /** Start expanded (default: collapsed, a button in the corner). */
  open?: boolean;
  /**
   * Show the dev-only actions (drop the socket, restart the worker, spectate again), through
   * `client.devtools()`: the client must be made with `connectGateway({ devtools: true })`, else
   * the worker refuses them and the panel says so. Default false.
   */
  actions?: boolean;
  /** Shortest time between two renders (ms; default 250: at most 4 renders a second). */
  minIntervalMs?: number;
  clock?: Clock;
}

let mounted = 0;

const ACTIONS: [DevtoolsAction, string][] = [
  ["drop", "Drop socket"],
  ["restart", "Restart worker"],
  ["respectate", "Re-spectate"],
];

/**
 * Mounts the devtools panel into `element`: a button that expands a panel of what the client's
 * streams say (connection, transport, next retry and recent transitions; the worker's mode and
 * each tab's subscriptions and delivery latency; the session without its token; the spectated
 * guild's seqs, gaps and replays; the log rate as a sparkline; a row per pool, expandable to
 * browse its entities; the cache; the counters that mean trouble), with an export of it all as
 * JSON, the cache's clear action and, with `actions`, the dev-only actions. It renders at most once per
 * `minIntervalMs`, and not at all while collapsed or while its page is hidden. Returns the
 * unmount: every subscription and listener goes, and the panel's nodes.
 */
export function mountDevtools(
  element: HTMLElement,
  client: DevtoolsClient,
  options: DevtoolsOptions = {},
): () => void {
  if (!element || typeof element.append !== "function" || !element.ownerDocument)
    throw new GatewayError("bad_input", "mountDevtools(element, client) takes a DOM element");
  const streams = ["connection$", "session$", "spectating$", "diagnostics$"] as const;
  if (!client || streams.some((name) => typeof client[name]?.subscribe !== "function"))
    throw new GatewayError(
      "bad_input",
      "mountDevtools(element, client) takes the client of connectGateway()",
    );
  const clock = options.clock ?? systemClock;
  const doc = element.ownerDocument;
  const id = `agd-panel-${++mounted}`;
  // The panel lives in a shadow root: the app's styles (a rule for every `section`, say) stay
  // out of it, and its own stay in. The host carries the render count (`data-renders`).
  const host = el(doc, "div", undefined, "agd-host");
  const shadow = host.attachShadow({ mode: "open" });
  const root = el(doc, "div", undefined, "agd");
  const style = el(doc, "style", PANEL_CSS);
  const button = (text: string, cls?: string) => {
    const made = el(doc, "button", text, cls);
    made.type = "button";
    return made;
  };
  const toggle = button("Gateway devtools", "agd-toggle");
  toggle.setAttribute("aria-controls", id);
  const panel = el(doc, "section", undefined, "agd-panel");
  panel.id = id;
  panel.setAttribute("aria-label", "Gateway connection devtools");
  const actions = el(doc, "div", undefined, "agd-actions");
  const exportButton = button("Export JSON");
  const clearButton = button("Clear cache");
  const said = el(doc, "p", undefined, "agd-said");
  said.setAttribute("role", "status");
  const body = el(doc, "div", undefined, "agd-body");
  actions.append(exportButton, clearButton);
  const { devtools } = client;
  if (options.actions && devtools)
    for (const [action, label] of ACTIONS) {
      const made = button(label, "agd-action");
      made.addEventListener("click", () => {
        said.textContent = `${label}…`;
        devtools(action).then(
          (did) => (said.textContent = `${label}: ${did}.`),
          (error: unknown) => (said.textContent = `${label} refused: ${describeError(error)}`),
        );
      });
      actions.append(made);
    }
  panel.append(actions, said, body);
  root.append(toggle, panel);
  shadow.append(style, root);

  let state: PanelState = initialPanelState;
  let unmounted = false;
  const visible = () => !panel.hidden && doc.visibilityState !== "hidden";
  const gate = createRenderGate({
    clock,
    minIntervalMs: options.minIntervalMs ?? 250,
    visible,
    render: () => {
      renderPanel(body, state, clock.now());
      host.dataset.renders = String(gate.renders);
    },
  });
  const setOpen = (open: boolean) => {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    gate.visibilityChanged();
  };
  setOpen(options.open ?? false);
  toggle.addEventListener("click", () => setOpen(panel.hidden));
  const onVisibility = () => gate.visibilityChanged();
  doc.addEventListener("visibilitychange", onVisibility);

  exportButton.addEventListener("click", () => {
    const json = exportSnapshot(state, clock.now());
    const url = URL.createObjectURL(new Blob([json], { type: "application/json" }));
    const link = doc.createElement("a");
    link.href = url;
    link.download = `gateway-diagnostics-${new Date(clock.now()).toISOString().replace(/[:.]/g, "-")}.json`;
    link.click();
    clock.setTimeout(() => URL.revokeObjectURL(url), 0);
    said.textContent = `Exported the diagnostics (${json.length} characters).`;
  });
  clearButton.addEventListener("click", () => {
    said.textContent = "Clearing the cache…";
    client.clearCache().then(
      () => (said.textContent = "Cleared the cache: every user's pools on disk are gone."),
      (error: unknown) => (said.textContent = `Could not clear the cache: ${describeError(error)}`),
    );
  });

  // A pool's button expands it: its entities are followed while it is, one pool at a time.
  let stopBrowsing = () => {};
  const browse = (key: string) => {
    stopBrowsing();
    stopBrowsing = () => {};
    const pool = state.diagnostics?.pools.find((p) => poolRowKey(p) === key);
    if (state.browse?.key === key || !pool || !client.pool) return take({ kind: "browse", value: null });
    take({ kind: "browse", value: { key, status: "loading", rows: [], count: 0, error: null } });
    stopBrowsing = browsePool({ pool: client.pool }, pool, (value) => take({ kind: "browse", value }));
  };
  body.addEventListener("click", (event) => {
    const key = (event.target as HTMLElement | null)?.closest?.<HTMLElement>("[data-browse]")?.dataset.browse;
    if (key !== undefined) browse(key);
  });

  const take = (event: PanelEvent) => {
    state = reducePanel(state, event, clock.now());
    gate.request();
  };
  // A stream that fails says so in the panel instead of going quiet.
  const follow = <K extends PanelEvent["kind"]>(
    kind: K,
    stream: Observable<Extract<PanelEvent, { kind: K }>["value"]>,
  ): Subscription =>
    stream.subscribe({
      next: (value) => take({ kind, value } as PanelEvent),
      error: (error: unknown) => (said.textContent = `${kind}$ stopped: ${GatewayError.info(error).message}`),
    });
  const subscriptions = [
    follow("connection", client.connection$),
    follow("session", client.session$),
    follow("spectating", client.spectating$),
    follow("diagnostics", client.diagnostics$),
  ];
  client.ready?.then(
    (ready) => !unmounted && take({ kind: "tab", value: ready.tabId }),
    () => {},
  );
  element.append(host);

  return () => {
    if (unmounted) return;
    unmounted = true;
    for (const subscription of subscriptions) subscription.unsubscribe();
    stopBrowsing();
    gate.dispose();
    doc.removeEventListener("visibilitychange", onVisibility);
    host.remove();
  };
}
