import { describe, expect, it } from "vitest";
import { PresenceSeqs } from "./presenceSeqs";

describe("PresenceSeqs", () => {
  it("takes the next seq, drops what it has, waits for a replay on its way, else says gap", () => {
    const seqs = new PresenceSeqs();
    expect(seqs.take("7", 40, false)).toBe("apply"); // nothing held: the first frame of a flow
    seqs.applied("7", 40);
    expect(seqs.take("7", 41, false)).toBe("apply");
    expect(seqs.take("7", 40, false)).toBe("duplicate");
    expect(seqs.take("7", 43, true)).toBe("ahead");
    expect(seqs.take("7", 43, false)).toBe("gap");
  });

  it("seeds from copies (the oldest wins) until a flow starts; a flow keeps what overtook its answer", () => {
    const seqs = new PresenceSeqs();
    seqs.seed("7", 12);
    seqs.seed("7", 9);
    expect(seqs.of("7")).toBe(9);
    // Replayed from the seed: frames flow from 9; one taken meanwhile (10) is kept.
    seqs.applied("7", 10);
    expect(seqs.flowing("7", 9, 3, 12)).toBe(9);
    expect(seqs.of("7")).toBe(10);
    // A later seed does not move a flowing guild's seq.
    seqs.seed("7", 2);
    expect(seqs.of("7")).toBe(10);
  });

  it("a fresh flow starts at the gateway's seq; a gap too old to replay starts over from it", () => {
    const seqs = new PresenceSeqs();
    expect(seqs.flowing("8", undefined, 0, 30)).toBe(30);
    expect(seqs.of("8")).toBe(30);
    seqs.applied("8", 35);
    // The gateway restarted (-1): it counts from 0 again, whatever was taken.
    expect(seqs.flowing("8", 35, -1, 3)).toBe(3);
    expect(seqs.of("8")).toBe(3);
    seqs.clear();
    expect(seqs.of("8")).toBeUndefined();
  });
});
