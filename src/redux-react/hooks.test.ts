import { createElement as h, memo, StrictMode } from "react";
import { Provider } from "react-redux";
import { act, create, type ReactTestRenderer } from "react-test-renderer";
import { afterEach, describe, expect, it } from "vitest";
import type { Entity } from "../protocol/entities";
import type { GatewayRedux } from "../redux/createGatewayRedux";
import { channel, logBatch } from "../redux/test/fakeClient";
import { settle, testStore } from "../redux/test/testStore";
import { useGatewayLogs, useGatewayPool } from "./index";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
/** react-test-renderer 19 says once per `create` that it is deprecated; nothing else may be said. */
const DEPRECATION = "react-test-renderer is deprecated";

const guildId = "100";
let current: ReturnType<typeof testStore> | null = null;
afterEach(() => {
  if (!current) return;
  current.restore();
  expect(current.warnings.filter((w) => !String(w[1]).includes(DEPRECATION))).toEqual([]);
  current = null;
});

const rowRenders = new Map<string, number>();
const Row = memo(function Row({ entity }: { entity: Entity }) {
  rowRenders.set(entity.id, (rowRenders.get(entity.id) ?? 0) + 1);
  return h("li", null, (entity as { name?: string }).name);
});

function Channels({ gateway }: { gateway: GatewayRedux }) {
  const slice = useGatewayPool(gateway, { pool: "channel", guildId });
  return h(
    "ul",
    { title: `${slice.status}:${slice.ids.length}` },
    slice.ids.map((id) => {
      const entity = slice.entities[id];
      return entity ? h(Row, { key: id, entity }) : null;
    }),
  );
}

function Logs({ gateway, limit }: { gateway: GatewayRedux; limit: number }) {
  const window = useGatewayLogs(gateway, guildId, { limit });
  return h("p", null, window.entries.map((e) => e.seq).join(","));
}

const mount = async (t: ReturnType<typeof testStore>, child: ReturnType<typeof h>) => {
  let renderer: ReactTestRenderer | undefined;
  await act(async () => {
    renderer = create(h(StrictMode, null, h(Provider, { store: t.store, children: child })));
  });
  return renderer as ReactTestRenderer;
};

describe("useGatewayPool / useGatewayLogs (react-redux, StrictMode)", () => {
  it("StrictMode's mount, unmount, mount ends with one client subscription; unmount releases it after the linger", async () => {
    const t = (current = testStore({ keepUnusedForMs: 2000 }));
    const renderer = await mount(t, h(Channels, { gateway: t.gateway }));
    const stream = t.fake.pool(`channel|${guildId}|all`);
    expect(stream.opened).toBe(1);
    expect(stream.active).toBe(1);
    expect(t.types().filter((type) => type === "gateway/subscribe")).toHaveLength(2); // StrictMode: twice
    expect(t.types().filter((type) => type === "gateway/pool/pending")).toHaveLength(1);

    await act(async () => {
      stream.push({ reset: true, upsert: [channel("1"), channel("2")], loaded: 2, total: 2 });
      await settle();
    });
    expect(renderer.root.findByType("ul").props.title).toBe("ready:2");

    // One entity changes: only its row renders again.
    rowRenders.clear();
    await act(async () => {
      stream.push({ upsert: [channel("2", "renamed")], loaded: 2, total: 2 });
      await settle();
    });
    expect(Object.fromEntries(rowRenders)).toEqual({ "2": 2 }); // StrictMode renders twice in dev

    await act(async () => renderer.unmount());
    expect(stream.active).toBe(1);
    t.clock.advance(2000);
    await settle();
    expect(stream.active).toBe(0);
    expect(t.store.getState().gateway.pools).toEqual({});
  });

  it("two components with different limits share one log stream; the window keeps the largest", async () => {
    const t = (current = testStore({ keepUnusedForMs: 1000 }));
    const renderer = await mount(
      t,
      h("div", null, h(Logs, { gateway: t.gateway, limit: 2 }), h(Logs, { gateway: t.gateway, limit: 3 })),
    );
    const stream = t.fake.logs(guildId);
    await act(async () => {
      stream.emit(logBatch([1, 2, 3, 4]));
      await settle();
    });
    expect(renderer.root.findAllByType("p").map((p) => p.props.children)).toEqual(["2,3,4", "2,3,4"]);
    expect(stream.opened).toBe(1);
    await act(async () => renderer.unmount());
    t.clock.advance(1000);
    expect(stream.active).toBe(0);
  });
});
