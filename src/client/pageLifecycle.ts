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
  const onPageHide = (event: Event) => {
    if (!(event as PageTransitionEvent).persisted) leave();
  };
  page.document.addEventListener("visibilitychange", onFront);
  page.window.addEventListener("focus", onFront);
  page.window.addEventListener("pagehide", onPageHide);
  return () => {
    page.document.removeEventListener("visibilitychange", onFront);
    page.window.removeEventListener("focus", onFront);
    page.window.removeEventListener("pagehide", onPageHide);
  };
}
