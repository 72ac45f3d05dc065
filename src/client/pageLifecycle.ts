import type { PageTargets } from "./environment";

/**
 * The page's lifecycle, as the client needs it: `front` when the tab becomes visible or
 * focused (it takes its guild back), `leave` on a `pagehide` that is not into the back/forward
 * cache (the tab releases what it holds in the worker). Returns what removes the listeners.
 */
export function watchPageLifecycle(
  page: PageTargets | null,
  front: () => void,
  leave: () => void,
): () => void {
  if (!page) return () => {};
  const onFront = () => {
    if (page.document.visibilityState === "visible") front();
  };
  // The listeners share one signal: aborting it removes them all.
  const stop = new AbortController();
  const options = { signal: stop.signal };
  page.document.addEventListener("visibilitychange", onFront, options);
  page.window.addEventListener("focus", onFront, options);
  page.window.addEventListener(
    "pagehide",
    (event) => {
      if (!(event as PageTransitionEvent).persisted) leave();
    },
    options,
  );
  return () => stop.abort();
}
