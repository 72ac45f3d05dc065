import { Subject } from "rxjs";
import { describe, expect, it } from "vitest";
import type { LogBatch, LogEntry } from "../shared";
import { observableStore } from "./observableStore";
import { foldLogWindow } from "./useLogs";

const entry = (seq: number): LogEntry => ({ seq, action: { id: String(seq) } as LogEntry["action"] });
const batch = (...seqs: number[]): LogBatch => seqs.map(entry);

describe("observableStore", () => {
  it("tells React once per emission that changes the state, never for one that does not", () => {
    const source = new Subject<number>();
    const store = observableStore(source, 0, (previous: number, value: number) =>
      value < 0 ? previous : value,
    );
    let changes = 0;
    const unsubscribe = store.subscribe(() => (changes += 1));
    source.next(1);
    source.next(-5); // changes nothing
    source.next(1); // the same value: Object.is
    source.next(2);
    expect(changes).toBe(2);
    expect(store.getSnapshot()).toEqual({ value: 2, error: null });
    const kept = store.getSnapshot();
    expect(store.getSnapshot()).toBe(kept); // stable between changes
    source.error(new Error("boom"));
    expect(changes).toBe(3);
    expect(store.getSnapshot().value).toBe(2);
    expect((store.getSnapshot().error as Error).message).toBe("boom");
    unsubscribe();
    expect(source.observed).toBe(false);
  });

  it("subscribes again after an unsubscribe (StrictMode's double mount) and keeps its state", () => {
    const source = new Subject<number>();
    const store = observableStore(source, 0, (_: number, v: number) => v);
    store.subscribe(() => {})();
    const stop = store.subscribe(() => {});
    source.next(7);
    expect(store.getSnapshot().value).toBe(7);
    stop();
    expect(source.observed).toBe(false);
  });
});

describe("foldLogWindow", () => {
  const empty = { entries: [], gap: null, received: 0 };

  it("keeps the newest `limit` entries in order and counts what was received", () => {
    let w = foldLogWindow(empty, batch(1, 2, 3), 4);
    w = foldLogWindow(w, batch(4, 5), 4);
    expect(w.entries.map((e) => e.seq)).toEqual([2, 3, 4, 5]);
    expect(w.received).toBe(5);
    w = foldLogWindow(w, batch(6, 7, 8, 9, 10, 11), 4);
    expect(w.entries.map((e) => e.seq)).toEqual([8, 9, 10, 11]);
  });

  it("the same batch again, or entries already shown, change nothing; after a gap lower seqs are new", () => {
    const first = batch(1, 2, 3);
    const w = foldLogWindow(empty, first, 10);
    expect(foldLogWindow(w, first, 10)).toBe(w); // a shared logs$ replaying its latest batch
    const overlap = foldLogWindow(w, batch(2, 3, 4), 10);
    expect(overlap.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(overlap.received).toBe(4);
    const restarted = Object.assign(batch(1, 2), {
      gap: { guildId: "1", reason: "gateway_restart" as const, afterSeq: 4, untilSeq: null },
    });
    expect(foldLogWindow(overlap, restarted, 10).entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 1, 2]);
  });

  it("keeps a gap, and an empty batch without one changes nothing", () => {
    const gapped = Object.assign(batch(9), {
      gap: { guildId: "1", reason: "slow_tab" as const, afterSeq: 3, untilSeq: 9 },
    });
    const w = foldLogWindow(foldLogWindow(empty, batch(1, 2), 10), gapped, 10);
    expect(w.gap?.reason).toBe("slow_tab");
    expect(foldLogWindow(w, batch(), 10)).toBe(w);
  });
});
