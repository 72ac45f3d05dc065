import { parseAst, type Plugin } from "vite";

interface Unused {
  /** The module, by the end of its path. */
  module: string;
  /** Methods of its classes that the worker never calls. */
  members: string[];
  /**
   * Members the module still calls, each only inside an `if` on an option the worker leaves off:
   * the option's test, as the module writes it.
   */
  guards?: Record<string, string>;
}

/**
 * Methods of socket.io-client and engine.io-client that the worker never calls, dropped from the
 * worker build (a class's methods stay in a bundle whether they are called or not). The build
 * fails if their module calls one (but behind its guard), or if the worker's code names one.
 */
export const UNUSED_MEMBERS: Unused[] = [
  {
    module: "/engine.io-client/build/esm/socket.js",
    // Probing the server's upgrades: only with the `upgrade` option on, which gatewayLink.ts
    // turns off (its socket names its transports, WebSocket first: no upgrade is ever offered).
    members: ["_probe"],
    guards: { _probe: "this.opts.upgrade" },
  },
  // Pausing a transport to leave it for another: `_probe` only.
  { module: "/engine.io-client/build/esm/transport.js", members: ["pause"] },
  { module: "/engine.io-client/build/esm/transports/polling.js", members: ["pause"] },
  {
    module: "/socket.io-client/build/esm/socket.js",
    // Acknowledgements as promises; the any-listeners gatewayLink.ts does not use; the queue of
    // emits to retry, only with the `retries` option, which the worker does not set.
    members: [
      "emitWithAck",
      "prependAny",
      "listenersAny",
      "onAnyOutgoing",
      "prependAnyOutgoing",
      "offAnyOutgoing",
      "listenersAnyOutgoing",
      "_addToQueue",
    ],
    guards: { _addToQueue: "this._opts.retries" },
  },
];

interface Node {
  type: string;
  start: number;
  end: number;
  name?: string;
  value?: unknown;
  key?: Node;
  test?: Node;
  consequent?: Node;
}

function* nodes(value: unknown): Generator<Node> {
  if (Array.isArray(value)) for (const item of value) yield* nodes(item);
  else if (value && typeof value === "object") {
    if (typeof (value as Node).type === "string") yield value as Node;
    for (const child of Object.values(value)) yield* nodes(child);
  }
}

const within = (inner: Node, outer: Node | undefined) =>
  !!outer && outer.start <= inner.start && inner.end <= outer.end;

/** Drops {@link UNUSED_MEMBERS} from the worker build, after checking that nothing calls them. */
export function unusedMembers(): Plugin {
  const dropped = new Set<string>();
  return {
    name: "architus:unused-members",
    enforce: "pre",
    buildStart() {
      dropped.clear();
    },
    transform(code, id) {
      const unused = UNUSED_MEMBERS.find((u) => id.endsWith(u.module));
      if (!unused) return null;
      const names = new Set(unused.members);
      const nameOf = (n: Node) => String(n.name ?? n.value);
      const all = [...nodes(parseAst(code))];
      const methods = all.filter((n) => n.type === "MethodDefinition" && names.has(n.key?.name ?? ""));
      for (const name of names)
        if (!methods.some((m) => m.key?.name === name)) this.error(`${id} has no method ${name} any more`);
      const guarded = (n: Node) => {
        const guard = unused.guards?.[nameOf(n)];
        return all.some(
          (s) =>
            s.type === "IfStatement" &&
            !!guard &&
            code.slice(s.test?.start, s.test?.end).includes(guard) &&
            within(n, s.consequent),
        );
      };
      for (const n of all)
        if (
          (n.type === "Identifier" || n.type === "Literal") &&
          names.has(nameOf(n)) &&
          !methods.some((m) => within(n, m)) &&
          !guarded(n)
        )
          this.error(`${id} calls ${nameOf(n)}: it is no longer to be dropped from the worker build`);
      // Blanked out, line breaks kept: every other line and column stays where the map has it.
      let out = code;
      for (const m of methods)
        out = out.slice(0, m.start) + out.slice(m.start, m.end).replace(/[^\n]/g, " ") + out.slice(m.end);
      unused.members.forEach((name) => dropped.add(name));
      return { code: out, map: null };
    },
    generateBundle(_options, bundle) {
      // Nor does the worker's own code (names of properties survive minification). The guarded
      // calls left in their modules are the only ones allowed.
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== "chunk") continue;
        for (const name of dropped) {
          const calls = chunk.code.match(new RegExp(`\\b${name}\\b`, "g"))?.length ?? 0;
          const allowed = UNUSED_MEMBERS.filter((u) => u.guards?.[name]).length;
          if (calls > allowed) this.error(`the worker calls ${name}, which its build drops`);
        }
      }
    },
  };
}
