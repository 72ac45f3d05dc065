import { describe, expect, it } from "vitest";
import type { SpectateReturnPayload } from "../../src/protocol";
import type { Requests, RequestSpec } from "../gateway/requests";
import { Spectator } from "./spectator";
import { GatewayError } from "../../src/shared";

/** A spectator whose spectate requests wait until answered by hand. */
function setup(presence: { wanted?: (guildId: string) => boolean; probe?: () => boolean } = {}) {
  const sent: {
    spec: RequestSpec<"spectate", SpectateReturnPayload>;
    answer(p: SpectateReturnPayload): void;
    refuse(error: GatewayError): void;
  }[] = [];
  const requests = {
    send(spec: RequestSpec<"spectate", SpectateReturnPayload>) {
      return new Promise((resolve, reject) =>
        sent.push({
          spec,
          answer: (payload) => {
            spec.collect("spectate_return", payload);
            resolve(payload);
          },
          refuse: reject,
        }),
      );
    },
  } as unknown as Requests;
  const flows: [string, number][] = [];
  const spectator = new Spectator({
    requests,
    logsWanted: () => false,
    invalidateGuild: () => {},
    authenticated: () => true,
    loginNeeded: (what) => new GatewayError("not_authenticated", `${what} needs a login`),
    caughtUp: () => {},
    restoring: () => null,
    logsGap: () => {},
    batchMs: () => 0,
    presenceWanted: (guildId) =>
      guildId === null ? (presence.probe?.() ?? false) : (presence.wanted?.(guildId) ?? false),
    presenceFlow: (guildId, from) => flows.push([guildId, from]),
  });
  return { spectator, sent, flows };
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
    expect(spectator.accepts("7", "pool")).toBe(true);
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

describe("Spectator: presence (Extension 2)", () => {
  const built = (sent: ReturnType<typeof setup>["sent"], i: number) => sent[i]!.spec.build(i + 1, "t.o.k");

  it("asks include_presence while the guild's members are viewed; the echo says presence flows", async () => {
    let viewed = false;
    const { spectator, sent, flows } = setup({ wanted: () => viewed });
    const first = spectator.spectate("tab", "7", false);
    expect(built(sent, 0)).not.toHaveProperty("include_presence");
    sent[0]!.answer(answer());
    await first;
    expect(spectator.presencePending("7")).toBe(false);
    viewed = true;
    // A member view: presence is now wanted, and loads wait for it to flow.
    spectator.viewsChanged();
    await Promise.resolve();
    expect(spectator.presencePending("7")).toBe(true);
    expect(built(sent, 1)).toMatchObject({ guild_id: "7", include_presence: true });
    expect(built(sent, 1).since).not.toHaveProperty("presence");
    sent[1]!.answer(answer({ include_presence: true, presence_seq: 40 }));
    await Promise.resolve();
    expect(spectator.presence.support).toBe("supported");
    expect(spectator.presenceAt("7")).toBe(40);
    expect(spectator.presencePending("7")).toBe(false);
    expect(flows).toEqual([["7", 40]]);
    expect(spectator.accepts("7", "includePresence")).toBe(true);
    expect(spectator.takePresence("7", 41)).toBe("apply");
    spectator.presenceApplied("7", 41);
    expect(spectator.presenceAt("7")).toBe(41);
  });

  it("after a drop it asks since.presence; the replay flows from there", async () => {
    const { spectator, sent, flows } = setup({ wanted: () => true });
    const first = spectator.spectate("tab", "7", false);
    sent[0]!.answer(answer({ include_presence: true, presence_seq: 40 }));
    await first;
    spectator.reset(true);
    expect(spectator.presence.support).toBe("unknown");
    expect(spectator.accepts("7", "includePresence")).toBe(false);
    spectator.resume();
    await Promise.resolve();
    expect(built(sent, 1)).toMatchObject({ include_presence: true, since: { pool: 100, presence: 40 } });
    // Live frames overtaking the answer wait for the replay, which brings them in order.
    expect(spectator.takePresence("7", 43)).toBe("ahead");
    sent[1]!.answer(answer({ include_presence: true, presence_seq: 43, replayed: 3 }));
    expect(flows.at(-1)).toEqual(["7", 40]);
    expect(spectator.takePresence("7", 41)).toBe("apply");
  });

  it("asked and not echoed: unsupported, said once and never asked again", async () => {
    const { spectator, sent } = setup({ wanted: () => true });
    const first = spectator.spectate("tab", "7", false);
    expect(built(sent, 0)).toMatchObject({ include_presence: true });
    sent[0]!.answer(answer());
    await first;
    expect(spectator.presence.support).toBe("unsupported");
    expect(spectator.presencePending("7")).toBe(false);
    expect(spectator.accepts("7", "includePresence")).toBe(false);
    spectator.viewsChanged();
    await Promise.resolve();
    expect(sent).toHaveLength(1);
  });

  it("an online view waiting to know: asked with no guild, and not asked again once known", async () => {
    const { spectator, sent } = setup({ probe: () => true });
    spectator.viewsChanged();
    await Promise.resolve();
    expect(built(sent, 0)).toMatchObject({ guild_id: null, include_presence: true });
    sent[0]!.answer(answer({ guild_id: null, pool_seq: 0, include_presence: true, presence_seq: 0 }));
    await Promise.resolve();
    await Promise.resolve();
    expect(spectator.presence.support).toBe("supported");
    spectator.viewsChanged();
    await Promise.resolve();
    expect(sent).toHaveLength(1);
  });
});

describe("Spectator: a refused spectate", () => {
  it("still asks what an online view waits for: whether the gateway has presence", async () => {
    const { spectator, sent } = setup({ probe: () => true });
    const refused = spectator.spectate("tab", "9", false);
    expect(sent[0]!.spec.build(1, "t.o.k")).toMatchObject({ guild_id: "9", include_presence: true });
    sent[0]!.refuse(new GatewayError(403, "not a member of guild 9"));
    await expect(refused).rejects.toMatchObject({ code: 403 });
    await Promise.resolve();
    // The wish is undone (no guild), and the probe goes (the view would wait for ever otherwise).
    expect(sent).toHaveLength(2);
    expect(sent[1]!.spec.build(2, "t.o.k")).toMatchObject({ guild_id: null, include_presence: true });
  });
});
