import type { Observable, Subscription } from "rxjs";
import type { GatewayClient } from "../client/gatewayClient";
import { GatewayError, systemClock, type Clock } from "../shared";
import {
  exportSnapshot,
  initialPanelState,
  reducePanel,
  type PanelEvent,
  type PanelState,
} from "./panelModel";
import { el, renderPanel } from "./panelView";
import { createRenderGate } from "./renderGate";
import { PANEL_CSS } from "./panelStyle";

/** What the panel reads of a client. */
export type DevtoolsClient = Pick<
  GatewayClient,
  "connection$" | "session$" | "spectating$" | "diagnostics$" | "clearCache"
>;

export interface DevtoolsOptions {
  /** Start expanded (default: collapsed, a button in the corner). */
  open?: boolean;
  /** Shortest time between two renders (ms; default 250: at most 4 renders a second). */
  minIntervalMs?: number;
  clock?: Clock;
}

let mounted = 0;

/**
 * Mounts the devtools panel into `element`: a button that expands a panel of what the client's
 * streams say (connection and its recent transitions, the worker's mode and tabs, the session
 * without its token, the spectated guild, the cache, the counters that mean trouble), with an
 * export of it all as JSON and the cache's clear action. It renders at most once per
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
  panel.append(actions, said, body);
  root.append(toggle, panel);
  shadow.append(style, root);

  let state: PanelState = initialPanelState;
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
      (error: unknown) =>
        (said.textContent = `Could not clear the cache: ${error instanceof GatewayError ? `${error.code}: ` : ""}${
          GatewayError.info(error).message
        }`),
    );
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
  element.append(host);

  let unmounted = false;
  return () => {
    if (unmounted) return;
    unmounted = true;
    for (const subscription of subscriptions) subscription.unsubscribe();
    gate.dispose();
    doc.removeEventListener("visibilitychange", onVisibility);
    host.remove();
  };
}
