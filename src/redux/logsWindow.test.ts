import { afterEach, describe, expect, it } from "vitest";
import { logBatch } from "./test/fakeClient";
import { settle, testStore } from "./test/testStore";

const guildId = "100";
let current: ReturnType<typeof testStore> | null = null;
const open = () => (current = testStore({ keepUnusedForMs: 1000 }));
afterEach(() => {
  if (!current) return;
  current.restore();
  expect(current.warnings).toEqual([]);
  current = null;
});
const seqs = (t: ReturnType<typeof testStore>) =>
  t.gateway.selectors.logs(t.store.getState(), guildId).map((e) => e.seq);

describe("the logs window", () => {
  it("the largest limit asked wins; entries oldest first, at most that many; one client subscription", async () => {
    const t = open();
    t.store.dispatch(t.gateway.actions.subscribe({ logs: guildId, limit: 3 }));
    t.store.dispatch(t.gateway.actions.subscribe({ logs: guildId, limit: 5 }));
    const stream = t.fake.logs(guildId);
    expect(stream.opened).toBe(1);
    stream.emit(logBatch([1, 2, 3, 4]));
    stream.emit(logBatch([5, 6, 7, 8]));
    await settle();
    expect(seqs(t)).toEqual([4, 5, 6, 7, 8]);
    expect(t.gateway.selectors.logWindow(t.store.getState(), guildId)).toMatchObject({
      limit: 5,
      received: 8,
    });

    // The 5 goes: the window shrinks to 3 at once.
    t.store.dispatch(t.gateway.actions.release({ logs: guildId, limit: 5 }));
    await settle();
    expect(seqs(t)).toEqual([6, 7, 8]);
    // A larger one comes: the window grows for what arrives from now on.
    t.store.dispatch(t.gateway.actions.subscribe({ logs: guildId, limit: 4 }));
    stream.emit(logBatch([9, 10]));
    await settle();
    expect(seqs(t)).toEqual([7, 8, 9, 10]);
    expect(stream.opened).toBe(1);
  });

  it("default limit 100; a batch replayed or already shown adds nothing; a gap is kept", async () => {
    const t = open();
    t.store.dispatch(t.gateway.actions.subscribe({ logs: guildId }));
    const stream = t.fake.logs(guildId);
    stream.emit(logBatch(Array.from({ length: 150 }, (_, i) => i + 1)));
    await settle();
    expect(seqs(t)).toHaveLength(100);
    expect(seqs(t)[0]).toBe(51);
    const window = t.gateway.selectors.logWindow(t.store.getState(), guildId);
    stream.emit(logBatch([149, 150]));
    await settle();
    expect(t.gateway.selectors.logWindow(t.store.getState(), guildId)).toBe(window);

    const gap = { guildId, reason: "history_lost" as const, afterSeq: 150, untilSeq: 200 };
    stream.emit(logBatch([200, 201], gap));
    await settle();
    const after = t.gateway.selectors.logWindow(t.store.getState(), guildId);
    expect(after.gap).toEqual(gap);
    expect(after.entries.at(-1)?.seq).toBe(201);
    stream.emit(logBatch([202]));
    await settle();
    expect(t.gateway.selectors.logWindow(t.store.getState(), guildId).gap).toEqual(gap);
  });

  it("the last release ends the stream after the linger and the window leaves the store", async () => {
    const t = open();
    t.store.dispatch(t.gateway.actions.subscribe({ logs: guildId, limit: 10 }));
    const stream = t.fake.logs(guildId);
    stream.emit(logBatch([1]));
    t.store.dispatch(t.gateway.actions.release({ logs: guildId, limit: 10 }));
    t.clock.advance(1000);
    await settle();
    expect(stream.active).toBe(0);
    expect(t.store.getState().gateway.logs).toEqual({});
    expect(t.gateway.selectors.logs(t.store.getState(), guildId)).toEqual([]);
  });
});
