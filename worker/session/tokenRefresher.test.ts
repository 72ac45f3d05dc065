import { describe, expect, it } from "vitest";
import { createManualClock } from "../../demo/gateway/test/manualClock";
import type { SessionMachine } from "./sessionMachine";
import { sessionOf } from "./sessionPhase";
import { refreshDelay, TokenRefresher, type RefreshTarget } from "./tokenRefresher";

const START = 1_700_000_000_000;

function jwt(sub: string, now: number): string {
  const claims = {
    sub,
    iat: Math.floor(now / 1000),
    exp: Math.floor(now / 1000) + 300,
    permissions: 0,
    guilds: {},
  };
  return `e30.${btoa(JSON.stringify(claims)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}.sig`;
}

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

function setup(target: Partial<RefreshTarget> = {}) {
  const clock = createManualClock(START);
  const logins: string[] = [];
  let epoch = 0;
  // The session of user "100", its token running out at START + 120 s.
  const session = sessionOf({
    sub: "100",
    iat: START / 1000,
    exp: START / 1000 + 120,
    permissions: 0,
    guilds: {},
  });
  const refresher = new TokenRefresher(clock, 30_000, {
    machine: (): SessionMachine => ({
      phase: { name: "authenticated", held: { token: "t", session } },
      epoch,
    }),
    loginInFlight: () => null,
    login: async (token) => void logins.push(token),
    ...target,
  });
  return { clock, refresher, logins, bump: () => epoch++ };
}

describe("refreshDelay", () => {
  it.each([
    ["the lead before exp", 120_000, 90_000],
    ["halfway when the lead is more than half the time left", 20_000, 10_000],
    ["at once when already past", -5_000, 0],
  ] as const)("is %s", (_name, left, delay) => {
    expect(refreshDelay(START + left, START, 30_000)).toBe(delay);
  });
});

describe("TokenRefresher", () => {
  it("a refresher whose login fails is followed by the next tab's", async () => {
    let failed = false;
    const t = setup({
      login: async () => {
        if (!failed) throw ((failed = true), new Error("refused"));
      },
    });
    const asked: string[] = [];
    t.refresher.set("a", async () => (asked.push("a"), jwt("100", t.clock.now())));
    t.refresher.set("b", async () => (asked.push("b"), jwt("100", t.clock.now())));
    t.refresher.arm(START + 120_000);
    t.clock.advance(90_000);
    await flush();
    expect(asked).toEqual(["a", "b"]);
  });

  it("a login, logout or expiry while a refresher is asked makes its token moot", async () => {
    const t = setup();
    let answer!: (token: string) => void;
    t.refresher.set("a", () => new Promise<string>((resolve) => (answer = resolve)));
    t.refresher.arm(START + 120_000);
    t.clock.advance(90_000);
    t.bump();
    answer(jwt("100", t.clock.now()));
    await flush();
    expect(t.logins).toEqual([]);
  });

  it("cancel and dispose drop the armed refresh; after dispose nothing is armed again", async () => {
    const t = setup();
    let calls = 0;
    t.refresher.set("a", async () => (calls++, jwt("100", t.clock.now())));
    t.refresher.arm(START + 120_000);
    t.refresher.cancel();
    t.clock.advance(100_000);
    t.refresher.dispose();
    t.refresher.arm(START + 300_000);
    t.clock.advance(300_000);
    await flush();
    expect(calls).toBe(0);
  });
});
