import { describe, expect, it } from "vitest";
import type { SpectateReturnPayload } from "../src/protocol";
import type { Requests, RequestSpec } from "./requests";
import { Spectator } from "./spectator";

/** A spectator whose spectate requests wait until answered by hand. */
function setup() {
  const sent: {
    spec: RequestSpec<"spectate", SpectateReturnPayload>;
    answer(p: SpectateReturnPayload): void;
  }[] = [];
  const requests = {
    send(spec: RequestSpec<"spectate", SpectateReturnPayload>) {
      return new Promise((resolve) =>
        sent.push({
          spec,
          answer: (payload) => {
            spec.collect("spectate_return", payload);
            resolve(payload);
          },
        }),
      );
    },
  } as unknown as Requests;
  const spectator = new Spectator({
    requests,
    logsWanted: () => false,
    invalidateGuild: () => {},
    authenticated: () => true,
  });
  return { spectator, sent };
}

const answer = (over: Partial<SpectateReturnPayload> = {}): SpectateReturnPayload => ({
  _id: 1,
  success: true,
  guild_id: "7",
  include_logs: false,
  pool_seq: 100,
  logs_seq: 0,
  replayed: 0,
  ...over,
});

describe("Spectator: pool seqs", () => {
  it("while a spectate with since is on its way, only the next seq is taken; later ones wait for the replay", async () => {
    const { spectator, sent } = setup();
    const first = spectator.spectate("tab", "7", false);
    sent[0]!.answer(answer({ pool_seq: 100 }));
    await first;
    expect(spectator.takePool("7", 101)).toBe("apply");
    spectator.poolApplied("7", 101);
    // 102 never arrives: 103 is a gap, and the guild is spectated again from 101.
    expect(spectator.takePool("7", 103)).toBe("gap");
    await Promise.resolve();
    expect(sent).toHaveLength(2);
    expect(sent[1]!.spec.build(2, "t.o.k")).toMatchObject({ guild_id: "7", since: { pool: 101 } });
    // Live frames that overtake the answer: 104 is not taken (the replay brings 102…104 in order).
    expect(spectator.accepts("7", false)).toBe(true);
    expect(spectator.takePool("7", 104)).toBe("ahead");
    expect(spectator.takePool("7", 101)).toBe("duplicate");
    sent[1]!.answer(answer({ pool_seq: 104, replayed: 3 }));
    for (const seq of [102, 103, 104]) {
      expect(spectator.takePool("7", seq)).toBe("apply");
      spectator.poolApplied("7", seq);
    }
    expect(spectator.poolSeqOf("7")).toBe(104);
  });
});
