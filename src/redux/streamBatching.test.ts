import { afterEach, describe, expect, it } from "vitest";
import { mergePoolSlice } from "./mergePoolSlice";
import { EMPTY_POOL_SLICE } from "./gatewayState";
import { channel, logBatch } from "./test/fakeClient";
import { settle, testStore } from "./test/testStore";

const guildId = "100";
const spec = { pool: "channel" as const, guildId };
let current: ReturnType<typeof testStore> | null = null;
const open = () => (current = testStore());
afterEach(() => {
  if (!current) return;
  current.restore();
  // RTK's serializability and immutability checks report on the console: nothing may be reported.
  expect(current.warnings).toEqual([]);
  current = null;
});

describe("one action per task", () => {
  it("every stream emission of one task goes out as ONE gateway/streams/batch action", async () => {
    const t = open();
    t.store.dispatch(t.gateway.actions.subscribe(spec));
    t.store.dispatch(t.gateway.actions.subscribe({ pool: "role", guildId }));
    t.store.dispatch(t.gateway.actions.subscribe({ logs: guildId, limit: 1000 }));
    const channels = t.fake.pool(`channel|${guildId}|all`);
    channels.push({ reset: true, upsert: [channel("1")], loaded: 1, total: 1 });
    await settle();
    const before = t.seen.length;
    // One delivery batch: the socket, 50 pool chunks, 10 log batches of 20 entries, another pool.
    t.fake.connection.next({
      status: "reconnecting",
      url: "http://gateway.test",
      socketId: null,
      lastError: "x",
      transport: null,
      retryAt: null,
    });
    for (let i = 2; i < 52; i++) channels.push({ upsert: [channel(String(i))], loaded: i, total: 51 });
    for (let b = 0; b < 10; b++)
      t.fake.logs(guildId).emit(logBatch(Array.from({ length: 20 }, (_, i) => b * 20 + i + 1)));
    t.fake.pool(`role|${guildId}|all`).push({ reset: true, upsert: [channel("9")], loaded: 1, total: 1 });
    t.fake.connection.next({
      status: "connected",
      url: "http://gateway.test",
      socketId: "s2",
      lastError: null,
      transport: "websocket",
      retryAt: null,
    });
    await settle();
    const actions = t.seen.slice(before);
    // The role pool's first load settles after the batch; nothing else.
    expect(actions.map((a) => a.type)).toEqual(["gateway/streams/batch", "gateway/pool/fulfilled"]);
    const state = t.store.getState().gateway;
    expect(state.pools["channel|100|all"]?.ids).toHaveLength(51);
    expect(state.logs[guildId]?.entries).toHaveLength(200);
    expect(state.connection?.socketId).toBe("s2");
  });

  it("nothing emitted, nothing dispatched", async () => {
    const t = open();
    t.store.dispatch(t.gateway.actions.start());
    await settle();
    const before = t.seen.length;
    await settle();
    expect(t.seen.length).toBe(before);
  });
});

describe("entity identity", () => {
  it("entities untouched by a batch keep their object; a changed one is new", async () => {
    const t = open();
    t.store.dispatch(t.gateway.actions.subscribe(spec));
    const stream = t.fake.pool(`channel|${guildId}|all`);
    stream.push({ reset: true, upsert: [channel("1"), channel("2"), channel("3")], loaded: 3, total: 3 });
    await settle();
    const first = t.gateway.selectors.pool(t.store.getState(), spec);
    stream.push({ upsert: [channel("2", "renamed")], loaded: 3, total: 3 });
    await settle();
    const second = t.gateway.selectors.pool(t.store.getState(), spec);
    expect(second).not.toBe(first);
    expect(second.entities["1"]).toBe(first.entities["1"]);
    expect(second.entities["3"]).toBe(first.entities["3"]);
    expect(second.entities["2"]).not.toBe(first.entities["2"]);
    expect(second.entities["2"]).toMatchObject({ name: "renamed" });
    expect(second.ids).toBe(first.ids); // same members, same order: the same array
    stream.push({ remove: ["1"], loaded: 2, total: 2 });
    await settle();
    const third = t.gateway.selectors.pool(t.store.getState(), spec);
    expect(third.ids).toEqual(["2", "3"]);
    expect(third.entities["3"]).toBe(first.entities["3"]);
    expect(third.entities).not.toHaveProperty("1");
  });

  it("a reset (resync) with equal content keeps every object, even the slice", async () => {
    const t = open();
    t.store.dispatch(t.gateway.actions.subscribe(spec));
    const stream = t.fake.pool(`channel|${guildId}|all`);
    stream.push({ reset: true, upsert: [channel("1"), channel("2")], loaded: 2, total: 2 });
    await settle();
    const before = t.gateway.selectors.pool(t.store.getState(), spec);
    // New objects (structured clones from the worker), equal content.
    stream.push({ reset: true, upsert: [channel("1"), channel("2")], loaded: 2, total: 2 });
    await settle();
    expect(t.gateway.selectors.pool(t.store.getState(), spec)).toBe(before);
    // A reset that changes one entity keeps the other's object.
    stream.push({ reset: true, upsert: [channel("1"), channel("2", "new")], loaded: 2, total: 2 });
    await settle();
    const after = t.gateway.selectors.pool(t.store.getState(), spec);
    expect(after.entities["1"]).toBe(before.entities["1"]);
    expect(after.entities["2"]).not.toBe(before.entities["2"]);
  });

  it("a late subscriber of a shared observable takes its first (replayed) snapshot whole", async () => {
    const t = open();
    const stream = t.fake.pool(`channel|${guildId}|all`);
    // Someone else in the tab (a ./react hook) follows the pool first.
    const other = t.fake.client.pool("channel", { guildId }).all$().subscribe();
    stream.push({ reset: true, upsert: [channel("1"), channel("2")], loaded: 2, total: 2 });
    stream.push({ upsert: [channel("3")], loaded: 3, total: 3 }); // the snapshot replayed: changes = [3]
    t.store.dispatch(t.gateway.actions.subscribe(spec));
    await settle();
    expect(t.gateway.selectors.pool(t.store.getState(), spec).ids).toEqual(["1", "2", "3"]);
    other.unsubscribe();
  });

  it("by-id specs keep the order asked and the ids the gateway says do not exist", async () => {
    const t = open();
    const byId = { pool: "channel" as const, guildId, ids: ["3", "1", "9"] };
    t.store.dispatch(t.gateway.actions.subscribe(byId));
    const stream = t.fake.pool(`channel|${guildId}|ids:3,1,9`, byId.ids);
    stream.push({
      reset: true,
      upsert: [channel("1"), channel("3")],
      nonexistent: ["9"],
      loaded: 2,
      total: 2,
    });
    await settle();
    const slice = t.gateway.selectors.pool(t.store.getState(), byId);
    expect(slice.ids).toEqual(["3", "1"]);
    expect(slice.nonexistent).toEqual(["9"]);
    stream.push({ upsert: [channel("1", "renamed")], loaded: 2, total: 2 });
    await settle();
    const next = t.gateway.selectors.pool(t.store.getState(), byId);
    expect(next.entities["3"]).toBe(slice.entities["3"]);
    expect(next.ids).toBe(slice.ids);
    expect(next.nonexistent).toBe(slice.nonexistent);
  });
});

describe("mergePoolSlice", () => {
  const patch = { removed: [], order: null, nonexistent: [], status: "ready" as const, loaded: 1, total: 1 };
  const rest = { stale: false, source: "network" as const, error: null, savedAt: null };

  it("returns the previous slice for a patch that changes nothing", () => {
    const slice = mergePoolSlice(EMPTY_POOL_SLICE, {
      ...patch,
      ...rest,
      reset: true,
      upserted: [channel("1")],
    });
    expect(mergePoolSlice(slice, { ...patch, ...rest, reset: false, upserted: [channel("1")] })).toBe(slice);
  });

  it("holds an entity whose id is __proto__ (a valid setting key) as an own property", () => {
    const proto = { id: "__proto__", value: 1 } as never;
    const slice = mergePoolSlice(EMPTY_POOL_SLICE, { ...patch, ...rest, reset: false, upserted: [proto] });
    expect(Object.prototype.hasOwnProperty.call(slice.entities, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(slice.entities)).toBe(Object.prototype);
    expect(slice.ids).toEqual(["__proto__"]);
  });
});
