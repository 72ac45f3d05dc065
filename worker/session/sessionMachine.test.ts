import { describe, expect, it } from "vitest";
import type { TokenClaims } from "../../src/protocol";
import type { SessionEffects } from "./sessionEffect";
import type { SessionEvent } from "./sessionEvent";
import { initialSession, transition, type SessionMachine } from "./sessionMachine";
import { sessionOf, type Held, type LoginInFlight, type SessionPhase } from "./sessionPhase";

const NOW = 1_700_000_000_000;
const ALICE = "100";
const BOB = "200";

const claims = (sub: string, exp = NOW / 1000 + 3600): TokenClaims => ({
  sub,
  iat: NOW / 1000,
  exp,
  permissions: 0,
  guilds: {},
});
const held = (sub: string, token = `${sub}-held`): Held => ({ token, session: sessionOf(claims(sub)) });
const flight = (epoch: number, sub: string, token = `${sub}-new`): LoginInFlight => ({
  epoch,
  token,
  claims: claims(sub),
});
const at = (phase: SessionPhase, epoch: number): SessionMachine => ({ phase, epoch });

/** One state per phase (and the variants that behave apart): alice holds, bob is another user. */
const states = {
  anonymous: initialSession,
  authenticated: at({ name: "authenticated", held: held(ALICE) }, 1),
  refreshing: at({ name: "refreshing", held: held(ALICE), login: flight(2, ALICE) }, 2),
  switching: at({ name: "switching", held: held(ALICE), login: flight(2, BOB) }, 2),
  loggingIn: at({ name: "loggingIn", holder: null, login: flight(1, BOB) }, 1),
  loggingInLapsed: at({ name: "loggingIn", holder: ALICE, login: flight(3, BOB) }, 3),
  expired: at({ name: "expired", userId: ALICE, holder: ALICE, orphan: null }, 2),
  expiredOrphan: at({ name: "expired", userId: BOB, holder: ALICE, orphan: flight(2, BOB) }, 3),
};

/** The effects in the order the driver carries them out (`SessionEffects`' declaration order). */
const ORDER = [
  "cancelRetry",
  "drop",
  "fail",
  "show",
  "holdBack",
  "refreshAt",
  "userChanged",
  "resume",
  "elevated",
  "elevate",
  "reelevate",
  "dropElevation",
  "retry",
  "settle",
] as const satisfies (keyof SessionEffects)[];
const types = (effects: SessionEffects) => ORDER.filter((kind) => effects[kind] !== undefined);
const known = (effects: SessionEffects) =>
  Object.keys(effects).every((kind) => ORDER.includes(kind as never));
const run = (state: SessionMachine, event: SessionEvent) => transition(state, event);
const login = (sub: string, token = `${sub}-new`): SessionEvent => ({
  type: "login",
  token,
  claims: claims(sub),
});
const answer = (epoch: number, sub: string, accepted = true): SessionEvent => ({
  type: "loginAnswered",
  epoch,
  sub,
  accepted,
});
const settleOf = (effects: SessionEffects) => effects.settle;

describe("session machine: login", () => {
  it.each([
    ["anonymous", states.anonymous, BOB, "loggingIn", ["show", "holdBack", "elevate"]],
    ["authenticated, same user", states.authenticated, ALICE, "refreshing", ["elevate"]],
    ["authenticated, another user", states.authenticated, BOB, "switching", ["show", "holdBack", "elevate"]],
    ["refreshing, another token", states.refreshing, ALICE, "refreshing", ["elevate"]],
    ["refreshing, another user", states.refreshing, BOB, "switching", ["show", "holdBack", "elevate"]],
    ["switching, the holder's own", states.switching, ALICE, "switching", ["show", "elevate"]],
    ["switching, a third user", states.switching, "300", "switching", ["show", "holdBack", "elevate"]],
    ["loggingIn, another user", states.loggingIn, "300", "loggingIn", ["show", "holdBack", "elevate"]],
    ["expired, the holder's own", states.expired, ALICE, "loggingIn", ["show", "elevate"]],
    ["expired, another user", states.expired, BOB, "loggingIn", ["show", "holdBack", "elevate"]],
  ] as const)("from %s goes to %s", (_name, from, sub, phase, effects) => {
    const next = run(from, login(sub, `${sub}-other`));
    expect(next.state.phase.name).toBe(phase);
    expect(next.state.epoch).toBe(from.epoch + 1);
    expect(types(next.effects)).toEqual(effects);
    expect(known(next.effects)).toBe(true);
    expect(next.effects.elevate).toEqual(flight(from.epoch + 1, sub, `${sub}-other`));
  });

  it("shows the login's user as authenticating and holds authenticated requests back", () => {
    const { effects } = run(states.authenticated, login(BOB));
    expect(effects.show).toEqual({ status: "authenticating", userId: BOB });
    expect(effects.holdBack).toBe(true);
  });

  it("keeps the session held while switching, and the holder while logging in after an expiry", () => {
    const switching = run(states.authenticated, login(BOB)).state.phase;
    expect(switching).toMatchObject({ name: "switching", held: held(ALICE) });
    expect(run(states.expired, login(BOB)).state.phase).toMatchObject({ name: "loggingIn", holder: ALICE });
  });

  it.each([
    ["refreshing", states.refreshing, ALICE],
    ["switching", states.switching, BOB],
    ["loggingIn", states.loggingIn, BOB],
    ["expired with an orphan", states.expiredOrphan, BOB],
  ] as const)("the same token while %s joins the login in flight: nothing changes", (_name, from, sub) => {
    expect(run(from, login(sub))).toStrictEqual({ state: from, effects: {} });
  });
});

describe("session machine: the latest login answered", () => {
  it("accepted from loggingIn: authenticated, refresh armed, requests go, elevated, resolved", () => {
    const { state, effects } = run(states.loggingIn, answer(1, BOB));
    const session = sessionOf(claims(BOB));
    expect(state).toEqual(at({ name: "authenticated", held: { token: `${BOB}-new`, session } }, 1));
    expect(effects).toStrictEqual({
      show: session,
      refreshAt: session.expiresAt,
      userChanged: undefined,
      fail: undefined,
      elevated: false,
      settle: { type: "resolve", state: session },
    });
    expect(types(effects)).toEqual(["show", "refreshAt", "elevated", "settle"]);
  });

  it("accepted from switching: the previous user's requests fail and their data goes", () => {
    const { state, effects } = run(states.switching, answer(2, BOB));
    expect(state.phase).toMatchObject({ name: "authenticated", held: { token: `${BOB}-new` } });
    expect(types(effects)).toEqual(["fail", "show", "refreshAt", "userChanged", "elevated", "settle"]);
    expect(effects.fail).toMatchObject({ code: "not_authenticated" });
  });

  it("accepted from refreshing: the fresh token is in use, the user did not change", () => {
    const { state, effects } = run(states.refreshing, answer(2, ALICE));
    expect(state.phase).toMatchObject({ name: "authenticated", held: { token: `${ALICE}-new` } });
    expect(types(effects)).not.toContain("userChanged");
  });

  it("accepted after an expiry of another user: that user's data goes", () => {
    expect(types(run(states.loggingInLapsed, answer(3, BOB)).effects)).toContain("userChanged");
  });

  it("refused from switching: back to the session held, which elevates the socket again", () => {
    const { state, effects } = run(states.switching, answer(2, BOB, false));
    expect(state).toEqual(at({ name: "authenticated", held: held(ALICE) }, 2));
    expect(types(effects)).toEqual(["show", "resume", "settle"]);
    expect(effects.show).toEqual(held(ALICE).session);
    expect(settleOf(effects)).toMatchObject({ type: "reject", error: { code: 401 } });
  });

  it("refused from refreshing: the session goes on with its token, nothing to resume", () => {
    const { state, effects } = run(states.refreshing, answer(2, ALICE, false));
    expect(state.phase).toEqual({ name: "authenticated", held: held(ALICE) });
    expect(types(effects)).toEqual(["show", "settle"]);
  });

  it.each([
    ["loggingIn without a holder", states.loggingIn, 1, { status: "anonymous" }],
    ["loggingIn after an expiry", states.loggingInLapsed, 3, { status: "expired", userId: ALICE }],
  ] as const)("refused from %s shows %o", (_name, from, epoch, shown) => {
    const { effects } = run(from, answer(epoch, BOB, false));
    expect(effects.show).toEqual(shown);
    expect(types(effects)).toEqual(["show", "settle"]);
  });

  it("failed (no answer) from switching: back to the session held, rejected with that error", () => {
    const error = new Error("disconnected");
    const { state, effects } = run(states.switching, { type: "loginFailed", epoch: 2, sub: BOB, error });
    expect(state.phase.name).toBe("authenticated");
    expect(types(effects)).toEqual(["show", "resume", "settle"]);
    expect(settleOf(effects)).toEqual({ type: "reject", error });
  });
});

describe("session machine: an answer of a login superseded since", () => {
  it("hands over to a later login of the same user in flight", () => {
    const { state, effects } = run(states.refreshing, answer(1, ALICE));
    expect(state).toBe(states.refreshing);
    expect(effects).toEqual({ settle: { type: "handOver", to: 2 } });
  });

  it("fails not_authenticated when another user's login or a logout came since", () => {
    for (const from of [states.switching, states.anonymous]) {
      const { state, effects } = run(from, answer(1, ALICE));
      expect(state).toBe(from);
      expect(types(effects)).toEqual(["settle"]);
      expect(effects).toMatchObject({ settle: { type: "reject", error: { code: "not_authenticated" } } });
    }
  });

  it("a failure keeps its own error (or hands over)", () => {
    const error = new Error("timeout");
    expect(run(states.switching, { type: "loginFailed", epoch: 1, sub: ALICE, error }).effects).toEqual({
      settle: { type: "reject", error },
    });
    expect(run(states.switching, { type: "loginFailed", epoch: 1, sub: BOB, error }).effects).toEqual({
      settle: { type: "handOver", to: 2 },
    });
  });

  it("the answer of an expired session's orphan fails and forgets the orphan", () => {
    const { state, effects } = run(states.expiredOrphan, answer(2, BOB));
    expect(state).toEqual(at({ name: "expired", userId: BOB, holder: ALICE, orphan: null }, 3));
    expect(settleOf(effects)).toMatchObject({ type: "reject", error: { code: "not_authenticated" } });
  });
});

describe("session machine: logout", () => {
  it.each(Object.entries(states))("from %s: anonymous, token dropped, drop_elevation sent", (name, from) => {
    const { state, effects } = run(from, { type: "logout" });
    expect(state).toEqual(at({ name: "anonymous" }, from.epoch + 1));
    const userChanged = name === "anonymous" ? [] : ["userChanged"];
    expect(types(effects)).toEqual(["cancelRetry", "drop", "fail", "show", ...userChanged, "dropElevation"]);
    expect(effects.fail).toMatchObject({ code: "not_authenticated", message: "logged out" });
    expect(effects.show).toEqual({ status: "anonymous" });
  });
});

describe("session machine: the gateway says the token ran out", () => {
  it.each([
    ["authenticated", states.authenticated, ALICE, ALICE, null],
    ["refreshing", states.refreshing, ALICE, ALICE, flight(2, ALICE)],
    ["switching", states.switching, BOB, ALICE, flight(2, BOB)],
    ["loggingIn", states.loggingIn, BOB, null, flight(1, BOB)],
  ] as const)(
    "from %s: expired as the shown user, the holder kept",
    (_name, from, userId, holder, orphan) => {
      const { state, effects } = run(from, { type: "expired" });
      expect(state).toEqual(at({ name: "expired", userId, holder, orphan }, from.epoch + 1));
      expect(types(effects)).toEqual(["cancelRetry", "drop", "fail", "show"]);
      expect(effects.fail).toMatchObject({ code: "session_expired" });
      expect(effects.show).toEqual({ status: "expired", userId });
    },
  );

  it.each([
    ["anonymous", states.anonymous],
    ["expired", states.expired],
  ] as const)("refused from %s: nothing changes", (_name, from) => {
    expect(run(from, { type: "expired" })).toStrictEqual({ state: from, effects: {} });
  });
});

describe("session machine: a new socket", () => {
  const reconnected = (attempt = 0, now = NOW): SessionEvent => ({ type: "reconnected", attempt, now });

  it.each([
    ["authenticated", states.authenticated, 1],
    ["refreshing (the token in use, not the one asked)", states.refreshing, 2],
  ] as const)("from %s: elevates again with the token held", (_name, from, epoch) => {
    const { state, effects } = run(from, reconnected(3));
    expect(state).toBe(from);
    expect(effects).toStrictEqual({
      cancelRetry: true,
      reelevate: { epoch, token: `${ALICE}-held`, attempt: 3 },
    });
  });

  it.each([
    ["anonymous", states.anonymous],
    ["switching (the new login elevates it)", states.switching],
    ["loggingIn", states.loggingIn],
    ["expired", states.expired],
  ] as const)("from %s: only the retry goes", (_name, from) => {
    expect(run(from, reconnected())).toStrictEqual({
      state: from,
      effects: { cancelRetry: true, reelevate: undefined },
    });
  });

  it("with a token past its exp: expired instead", () => {
    const { state, effects } = run(states.authenticated, reconnected(0, NOW + 3_600_000));
    expect(state.phase).toMatchObject({ name: "expired", userId: ALICE });
    expect(types(effects)).toEqual(["cancelRetry", "drop", "fail", "show"]);
  });

  it("re-elevation accepted: requests go, elevated (reconnect)", () => {
    expect(run(states.authenticated, { type: "reelevated", epoch: 1, accepted: true }).effects).toStrictEqual(
      {
        elevated: true,
      },
    );
  });

  it("re-elevation refused: expired", () => {
    const { state } = run(states.authenticated, { type: "reelevated", epoch: 1, accepted: false });
    expect(state.phase.name).toBe("expired");
  });

  it("answers of a re-elevation from before a login, logout or expiry change nothing", () => {
    const stale = [
      { type: "reelevated", epoch: 0, accepted: true },
      { type: "reelevated", epoch: 0, accepted: false },
      { type: "reelevationFailed", epoch: 0, attempt: 0, code: 401 },
      { type: "reelevationFailed", epoch: 0, attempt: 0, code: 500 },
    ] as const;
    for (const event of stale)
      expect(run(states.authenticated, event)).toStrictEqual({ state: states.authenticated, effects: {} });
  });

  it("re-elevation failed 401: expired", () => {
    const event = { type: "reelevationFailed", epoch: 1, attempt: 0, code: 401 } as const;
    expect(run(states.authenticated, event).state.phase.name).toBe("expired");
  });

  it.each(["disconnected", "closed"] as const)("re-elevation failed %s: the next socket elevates", (code) => {
    const event = { type: "reelevationFailed", epoch: 1, attempt: 0, code } as const;
    expect(run(states.authenticated, event)).toStrictEqual({ state: states.authenticated, effects: {} });
  });

  it.each([
    [0, 1_000],
    [1, 2_000],
    [4, 16_000],
    [5, 30_000],
    [9, 30_000],
  ] as const)("re-elevation failed otherwise at attempt %i: retried after %i ms", (attempt, delayMs) => {
    const event = { type: "reelevationFailed", epoch: 1, attempt, code: "timeout" } as const;
    expect(run(states.authenticated, event).effects).toStrictEqual({
      retry: { attempt: attempt + 1, delayMs },
    });
  });
});
