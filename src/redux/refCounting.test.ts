import { afterEach, describe, expect, it } from "vitest";
import { channel, logBatch, tokenFor } from "./test/fakeClient";
import { settle, testStore } from "./test/testStore";

const guildId = "100";
const spec = { pool: "channel" as const, guildId };
let current: ReturnType<typeof testStore> | null = null;
const open = (options?: Parameters<typeof testStore>[0]) => (current = testStore(options));
afterEach(() => {
  if (!current) return;
  current.restore();
  // RTK's serializability and immutability checks report on the console: nothing may be reported.
  expect(current.warnings).toEqual([]);
  current = null;
});

describe("ref-counting in the middleware", () => {
  it("two subscribes share one client subscription; the last release ends it after the linger", async () => {
    const t = open({ keepUnusedForMs: 3000 });
    t.store.dispatch(t.gateway.actions.subscribe(spec));
    t.store.dispatch(t.gateway.actions.subscribe({ ...spec }));
    const stream = t.fake.pool(`channel|${guildId}|all`);
    expect(stream.opened).toBe(1);
    stream.push({ reset: true, upsert: [channel("1"), channel("2")], loaded: 2, total: 2 });
    await settle();
    expect(t.gateway.selectors.pool(t.store.getState(), spec).ids).toEqual(["1", "2"]);

    t.store.dispatch(t.gateway.actions.release(spec));
    t.store.dispatch(t.gateway.actions.release(spec));
    expect(stream.active).toBe(1); // lingering
    t.clock.advance(2999);
    expect(stream.active).toBe(1);
    t.clock.advance(1);
    expect(stream.active).toBe(0);
    await settle();
    // The slice left the store; the selector gives the stable empty slice.
    expect(t.store.getState().gateway.pools).toEqual({});
    expect(t.gateway.selectors.pool(t.store.getState(), spec)).toBe(
      t.gateway.selectors.pool(t.store.getState(), { pool: "role", guildId }),
    );
    expect(t.gateway.selectors.pool(t.store.getState(), spec).status).toBe("idle");

    // Nothing arrives for a released spec.
    const before = t.seen.length;
    stream.push({ upsert: [channel("3")] });
    await settle();
    expect(t.seen.length).toBe(before);
    expect(t.ignored).toEqual([]);
  });

  it("a subscribe within the linger (a remount, StrictMode's double mount) keeps the subscription and its data", async () => {
    const t = open({ keepUnusedForMs: 3000 });
    t.store.dispatch(t.gateway.actions.subscribe(spec));
    const stream = t.fake.pool(`channel|${guildId}|all`);
    stream.push({ reset: true, upsert: [channel("1")], loaded: 1, total: 1 });
    await settle();
    const slice = t.gateway.selectors.pool(t.store.getState(), spec);

    t.store.dispatch(t.gateway.actions.release(spec));
    t.clock.advance(1000);
    t.store.dispatch(t.gateway.actions.subscribe(spec));
    t.clock.advance(10_000); // the cancelled linger never fires
    await settle();
    expect(stream.opened).toBe(1);
    expect(stream.active).toBe(1);
    expect(t.gateway.selectors.pool(t.store.getState(), spec)).toBe(slice);
    expect(t.types().filter((type) => type === "gateway/pool/pending")).toHaveLength(1);
  });

  it("keepUnusedForMs 0 ends a released spec at once", async () => {
    const t = open({ keepUnusedForMs: 0 });
    t.store.dispatch(t.gateway.actions.subscribe(spec));
    t.store.dispatch(t.gateway.actions.release(spec));
    expect(t.fake.pool(`channel|${guildId}|all`).active).toBe(0);
    expect(t.clock.pending()).toBe(0);
  });

  it("releasing more than subscribed is ignored (told to `warn`), never negative", async () => {
    const t = open({ keepUnusedForMs: 0 });
    t.store.dispatch(t.gateway.actions.release(spec));
    expect(t.ignored).toHaveLength(1);
    t.store.dispatch(t.gateway.actions.subscribe(spec));
    t.store.dispatch(t.gateway.actions.release(spec));
    t.store.dispatch(t.gateway.actions.release(spec));
    expect(t.ignored).toHaveLength(2);
    // One subscribe after all that is one live subscription, released by one release.
    t.store.dispatch(t.gateway.actions.subscribe(spec));
    const stream = t.fake.pool(`channel|${guildId}|all`);
    expect(stream.active).toBe(1);
    t.store.dispatch(t.gateway.actions.release(spec));
    expect(stream.active).toBe(0);
  });

  it("specs differ by guild, view and ids: each its own subscription and slice", async () => {
    const t = open();
    t.store.dispatch(t.gateway.actions.subscribe(spec));
    t.store.dispatch(t.gateway.actions.subscribe({ pool: "channel", guildId: "200" }));
    t.store.dispatch(t.gateway.actions.subscribe({ pool: "member", guildId, view: "online" }));
    t.store.dispatch(t.gateway.actions.subscribe({ pool: "member", guildId, ids: ["7", "8"] }));
    expect(t.fake.activeStreams()).toBe(4);
    await settle();
    expect(Object.keys(t.store.getState().gateway.pools).sort()).toEqual(
      ["channel|100|all", "channel|200|all", "member|100|online", 'member|100|all|["7","8"]'].sort(),
    );
  });

  it("logout empties the user's pools (the slices stay while subscribed), and the next snapshot is taken whole", async () => {
    const t = open();
    await t.store.dispatch(t.gateway.actions.login(tokenFor("1")));
    t.store.dispatch(t.gateway.actions.subscribe(spec));
    const stream = t.fake.pool(`channel|${guildId}|all`);
    stream.push({ reset: true, upsert: [channel("1"), channel("2")], loaded: 2, total: 2 });
    await settle();
    expect(t.gateway.selectors.pool(t.store.getState(), spec).ids).toHaveLength(2);

    // The worker's session$ says anonymous later: the logout's own lifecycle clears the pools.
    t.fake.answers.logout = async () => {};
    await t.store.dispatch(t.gateway.actions.logout());
    await settle();
    expect(t.gateway.selectors.session(t.store.getState())?.status).toBe("authenticated");
    const cleared = t.gateway.selectors.pool(t.store.getState(), spec);
    expect(cleared).toMatchObject({ status: "waiting", ids: [], entities: {}, loaded: 0, source: null });
    // A later snapshot whose changes are relative to the old data is taken whole.
    stream.push({ upsert: [channel("3")], loaded: 3, total: 3 });
    await settle();
    expect(t.gateway.selectors.pool(t.store.getState(), spec).ids).toEqual(["1", "2", "3"]);
  });

  it("a session handed to another user empties the pools; the same user's expiry does not", async () => {
    const t = open();
    await t.store.dispatch(t.gateway.actions.login(tokenFor("1")));
    t.store.dispatch(t.gateway.actions.subscribe(spec));
    t.store.dispatch(t.gateway.actions.subscribe({ logs: guildId }));
    const stream = t.fake.pool(`channel|${guildId}|all`);
    stream.push({ reset: true, upsert: [channel("1")], loaded: 1, total: 1 });
    t.fake.logs(guildId).emit(logBatch([1]));
    await settle();
    t.fake.session.next({ status: "expired", userId: "1" });
    await settle();
    expect(t.gateway.selectors.pool(t.store.getState(), spec).ids).toEqual(["1"]);
    // Another user's session (another tab logged in as someone else).
    t.fake.session.next({ status: "authenticating", userId: "2" });
    await settle();
    expect(t.gateway.selectors.pool(t.store.getState(), spec).ids).toEqual([]);
    expect(t.gateway.selectors.logs(t.store.getState(), guildId)).toEqual([]);
    expect(t.gateway.selectors.session(t.store.getState())).toEqual({
      status: "authenticating",
      userId: "2",
    });
  });
});
