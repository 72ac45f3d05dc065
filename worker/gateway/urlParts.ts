/** What socket.io-client and engine.io-client read of a parsed URI. */
export interface UrlParts {
  source: string;
  protocol: string;
  host: string;
  port: string;
  path: string;
  query: string;
  queryKey: Record<string, string>;
}

/**
 * engine.io-client's `parse` (its copy of parseuri, a 1.5 kB regex parser kept for platforms
 * without `URL`) for the worker build, over `URL`, which every worker has: replaced in by
 * vite.config.ts. Gives the fields the clients read, as parseuri does for the http(s)/ws(s)
 * URLs the worker is given (the hello checks them): the host without an IPv6 address's brackets,
 * the port as written (empty for a protocol's default: the clients fill it in), the query raw.
 * Never throws: what `URL` cannot read gives empty parts, as parseuri's regex would.
 */
export function parse(source: string): UrlParts {
  let url: URL | null = null;
  try {
    url = new URL(source);
  } catch {
    // empty parts below
  }
  const query = url?.search.slice(1) ?? "";
  const queryKey: Record<string, string> = {};
  for (const pair of query.split("&")) {
    const at = pair.indexOf("=");
    const key = at < 0 ? pair : pair.slice(0, at);
    if (key) queryKey[key] = at < 0 ? "" : pair.slice(at + 1);
  }
  return {
    source,
    protocol: url?.protocol.slice(0, -1) ?? "",
    host: url?.hostname.replace(/^\[(.*)\]$/, "$1") ?? "",
    port: url?.port ?? "",
    path: url?.pathname ?? "",
    query,
    queryKey,
  };
}
