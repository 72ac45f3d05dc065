import type * as Comlink from "comlink";

/**
 * A tab's endpoint that lets through only calls of the tab API: an APPLY of one of `methods`
 * (a path of one own name) or a RELEASE. Whatever else a page posts (garbage, GET, SET,
 * CONSTRUCT, paths into `__proto__`) is dropped and counted: Comlink itself would let a page
 * read or overwrite any property along any path of the exposed object.
 */
export function onlyCalls(
  endpoint: Comlink.Endpoint,
  methods: readonly string[],
  dropped: () => void,
): Comlink.Endpoint {
  const allowed = new Set(methods);
  const filters = new Map<EventListenerOrEventListenerObject, EventListener>();
  const filtered: Comlink.Endpoint = {
    postMessage: (message: unknown, transfer?: Transferable[]) => endpoint.postMessage(message, transfer),
    addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: object) {
      const filter: EventListener = (event) => {
        if (type === "message" && !isCall((event as MessageEvent).data, allowed)) return dropped();
        if (typeof listener === "function") listener(event);
        else listener.handleEvent(event);
      };
      filters.set(listener, filter);
      endpoint.addEventListener(type, filter, options);
    },
    removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: object) {
      const filter = filters.get(listener);
      if (filter) endpoint.removeEventListener(type, filter, options);
      filters.delete(listener);
    },
  };
  if (endpoint.start) filtered.start = () => endpoint.start?.();
  return filtered;
}

function isCall(data: unknown, allowed: ReadonlySet<string>): boolean {
  if (typeof data !== "object" || data === null) return false;
  const { type, path } = data as { type?: unknown; path?: unknown };
  if (type === "RELEASE") return true;
  return (
    type === "APPLY" &&
    Array.isArray(path) &&
    path.length === 1 &&
    typeof path[0] === "string" &&
    allowed.has(path[0])
  );
}
