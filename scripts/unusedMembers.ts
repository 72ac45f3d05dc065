import { parseAst, type Plugin } from "vite";

interface Unused {
  /** The module, by the end of its path. */
  module: string;
  /** Methods of its classes that the worker never calls. */
  members: string[];
  /** References to them left in the module, each behind an option the worker turns off. */
  guarded?: number;
}

/**
 * Public methods of socket.io-client and engine.io-client that the worker never calls, and that
 * nothing in their own modules calls (checked: the build fails otherwise), are dropped from the
 * worker build: a class's methods stay in a bundle whether they are called or not.
 */
export const UNUSED_MEMBERS: Unused[] = [
  {
    module: "/engine.io-client/build/esm/socket.js",
    // Probing the server's upgrades: `onOpen` calls it only with the `upgrade` option on, which
    // gatewayLink.ts turns off (its socket names its transports, WebSocket first: no upgrade
    // is ever offered to it).
    members: ["_probe"],
    guarded: 1,
  },
  // Pausing a transport to leave it for another: `_probe` only.
  { module: "/engine.io-client/build/esm/transport.js", members: ["pause"] },
  { module: "/engine.io-client/build/esm/transports/polling.js", members: ["pause"] },
  // Acknowledgements as promises, and the any-listeners gatewayLink.ts does not use.
  {
    module: "/socket.io-client/build/esm/socket.js",
    members: [
      "emitWithAck",
      "prependAny",
      "listenersAny",
      "onAnyOutgoing",
      "prependAnyOutgoing",
      "offAnyOutgoing",
      "listenersAnyOutgoing",
    ],
  },
];

interface Node {
  type: string;
  start: number;
  end: number;
  name?: string;
  value?: unknown;
  key?: Node;
}

function* nodes(value: unknown): Generator<Node> {
  if (Array.isArray(value)) for (const item of value) yield* nodes(item);
  else if (value && typeof value === "object") {
    if (typeof (value as Node).type === "string") yield value as Node;
    for (const child of Object.values(value)) yield* nodes(child);
  }
}

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
      const all = [...nodes(parseAst(code))];
      const methods = all.filter((n) => n.type === "MethodDefinition" && names.has(n.key?.name ?? ""));
      for (const name of names)
        if (!methods.some((m) => m.key?.name === name)) this.error(`${id} has no method ${name} any more`);
      const references = all.filter(
        (n) =>
          (n.type === "Identifier" || n.type === "Literal") &&
          names.has(String(n.name ?? n.value)) &&
          !methods.some((m) => m.start <= n.start && n.end <= m.end),
      );
      if (references.length !== (unused.guarded ?? 0)) {
        const called = new Set(references.map((n) => String(n.name ?? n.value)));
        this.error(`${id} calls ${[...called].join(", ")}: no longer to be dropped from the worker build`);
      }
      // Blanked out, line breaks kept: every other line and column stays where the map has it.
      let out = code;
      for (const m of methods)
        out = out.slice(0, m.start) + out.slice(m.start, m.end).replace(/[^\n]/g, " ") + out.slice(m.end);
      unused.members.forEach((name) => dropped.add(name));
      return { code: out, map: null };
    },
    generateBundle(_options, bundle) {
      // The worker's own code calls none of them either (its names survive minification).
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== "chunk") continue;
        for (const name of dropped) {
          const calls = chunk.code.match(new RegExp(`\\b${name}\\b`, "g"))?.length ?? 0;
          const guarded = UNUSED_MEMBERS.find((u) => u.members.includes(name))?.guarded ?? 0;
          if (calls > guarded) this.error(`the worker calls ${name}, dropped from its build`);
        }
      }
    },
  };
}
