import { describe, expect, it } from "vitest";
import { createManualClock } from "../../demo/gateway/test/manualClock";
import type { ClientEventName } from "../../src/protocol";
import { GatewayError, type Clock, type SessionState } from "../../src/shared";
import type { RequestSpec } from "../gateway/requests";
import { Session, type SessionRequests } from "./session";

const START = 1_700_000_000_000;
const ALICE = "100";
const BOB = "200";

/** A compact JWT of `sub` running out `ttlS` seconds after `now` (unsigned: the gateway verifies). */
function jwt(sub: string, now: number, ttlS = 3600, salt = ""): string {
  const claims = {
    sub,
    iat: Math.floor(now / 1000),
    exp: Math.floor(now / 1000) + ttlS,
    permissions: 1,
    guilds: {},
  };
  const payload = btoa(JSON.stringify(claims)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `e30.${payload}.sig${salt}`;
}

interface Sent {
  event: ClientEventName;
  payload: unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Requests that go nowhere: each is answered by hand; auth readiness and failures are logged. */
function fakeRequests() {
  const sent: Sent[] = [];
  const log: string[] = [];
  const requests: SessionRequests = {
    send<E extends ClientEventName, R>(spec: RequestSpec<E, R>): Promise<R> {
      return new Promise<R>((resolve, reject) =>
        sent.push({
          event: spec.event,
          payload: spec.build(sent.length + 1, null),
          resolve: resolve as never,
          reject,
        }),
      );
    },
    setAuthReady: (ready) => void log.push(`authReady ${ready}`),
    failAuthenticated: (error) => void log.push(`fail ${error.code}`),
  };
  return { requests, sent, log };
}

/** A manual clock that counts the timers armed and not yet fired or cancelled. */
function countingClock() {
  const clock = createManualClock(START);
  let live = 0;
  const counted: Clock = {
    now: () => clock.now(),
    setTimeout(callback, ms) {
      let done = false;
      const finish = () => {
        if (!done) live--;
        done = true;
      };
      live++;
      const cancel = clock.setTimeout(() => {
        finish();
        callback();
      }, ms);
      return () => {
        finish();
        cancel();
      };
    },
  };
  return { clock: counted, advance: (ms: number) => clock.advance(ms), live: () => live };
}

/** Lets every promise callback queued so far run (no timers, no sleeping). */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

function setup(refreshLeadMs = 60_000) {
  const time = countingClock();
  const fake = fakeRequests();
  const session = new Session({ requests: fake.requests, clock: time.clock, refreshLeadMs });
  const shown: SessionState[] = [];
  const elevated: boolean[] = [];
  let userChanges = 0;
  session.changed.listen((state) => shown.push(state));
  session.elevated.listen((reconnect) => elevated.push(reconnect));
  session.userChanged.listen(() => userChanges++);
  const token = (sub: string, ttlS?: number, salt?: string) => jwt(sub, time.clock.now(), ttlS, salt);
  /** The last request sent, which must be `event`. */
  const last = (event: ClientEventName) => {
    const request = fake.sent.at(-1);
    expect(request?.event).toBe(event);
    return request as Sent;
  };
  const loggedIn = async (sub: string, ttlS?: number) => {
    const login = session.login(token(sub, ttlS));
    last("request_elevation").resolve({ success: true });
    return login;
  };
  return {
    ...time,
    ...fake,
    session,
    shown,
    elevated,
    userChanges: () => userChanges,
    token,
    last,
    loggedIn,
  };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (error instanceof GatewayError ? error.code : String(error)),
  );

describe("Session: login and logout", () => {
  it("shows authenticating, holds requests back until the gateway elevated, then authenticated", async () => {
    const s = setup();
    const token = s.token(ALICE);
    const login = s.session.login(token);
    expect(s.session.state).toEqual({ status: "authenticating", userId: ALICE });
    expect(s.log).toEqual(["authReady false"]);
    expect(s.last("request_elevation").payload).toMatchObject({ token });
    expect(s.session.currentToken()).toBeNull();
    s.last("request_elevation").resolve({ success: true });
    await expect(login).resolves.toMatchObject({ status: "authenticated", userId: ALICE, permissions: 1 });
    expect(s.session.currentToken()).toBe(token);
    expect(s.session.holderId).toBe(ALICE);
    expect(s.log).toEqual(["authReady false", "authReady true"]);
    expect(s.elevated).toEqual([false]);
    expect(s.shown.map((state) => state.status)).toEqual(["authenticating", "authenticated"]);
  });

  it("a token that is no JWT, or ran out, is refused at once and changes nothing", async () => {
    const s = setup();
    await s.loggedIn(ALICE);
    expect(await codeOf(s.session.login("garbage"))).toBe("bad_input");
    expect(await codeOf(s.session.login(s.token(BOB, -5)))).toBe(401);
    expect(s.sent).toHaveLength(1);
    expect(s.session.state).toMatchObject({ status: "authenticated", userId: ALICE });
  });

  it("a refused first login leaves the session anonymous", async () => {
    const s = setup();
    const login = s.session.login(s.token(ALICE));
    s.last("request_elevation").resolve({ success: false });
    expect(await codeOf(login)).toBe(401);
    expect(s.session.state).toEqual({ status: "anonymous" });
    expect(s.session.holderId).toBeNull();
  });

  it("logout forgets the token and the user at once, and resolves once the elevation is dropped", async () => {
    const s = setup();
    await s.loggedIn(ALICE);
    let done = false;
    const logout = s.session.logout().then(() => (done = true));
    expect(s.session.state).toEqual({ status: "anonymous" });
    expect(s.session.currentToken()).toBeNull();
    expect(s.session.holderId).toBeNull();
    expect(s.userChanges()).toBe(1);
    expect(s.log.slice(-2)).toEqual(["authReady false", "fail not_authenticated"]);
    await flush();
    expect(done).toBe(false);
    s.last("drop_elevation").reject(new GatewayError("disconnected", "offline"));
    await logout;
    expect(done).toBe(true);
  });
});

describe("Session: effects carried out in the machine's order", () => {
  it("a switch of user and a logout: requests held, failed, the state shown, the user changed, elevated", async () => {
    const s = setup();
    await s.loggedIn(ALICE);
    s.log.length = 0;
    s.session.changed.listen((state) => void s.log.push(`show ${state.status}`));
    s.session.userChanged.listen(() => void s.log.push("userChanged"));
    s.session.elevated.listen((reconnect) => void s.log.push(`elevated ${reconnect}`));
    const bob = s.session.login(s.token(BOB));
    expect(s.log).toEqual(["show authenticating", "authReady false"]);
    s.last("request_elevation").resolve({ success: true });
    await bob;
    expect(s.log.slice(2)).toEqual([
      "fail not_authenticated",
      "show authenticated",
      "userChanged",
      "authReady true",
      "elevated false",
    ]);
    s.log.length = 0;
    void s.session.logout();
    expect(s.log).toEqual(["authReady false", "fail not_authenticated", "show anonymous", "userChanged"]);
    s.last("drop_elevation");
  });
});

describe("Session: logins at once", () => {
  it("logins of the same token share one elevation; a fresher token of the same user takes over", async () => {
    const s = setup();
    const first = s.token(ALICE);
    const fresher = s.token(ALICE, 7200);
    const logins = [s.session.login(first), s.session.login(first)];
    expect(s.sent).toHaveLength(1);
    logins.push(s.session.login(fresher));
    expect(s.sent).toHaveLength(2);
    s.sent[0]?.resolve({ success: true });
    s.sent[1]?.resolve({ success: true });
    for (const state of await Promise.all(logins))
      expect(state).toMatchObject({ status: "authenticated", userId: ALICE });
    expect(s.session.currentToken()).toBe(fresher);
  });

  it("another user's login mid-login supersedes it: the first fails not_authenticated", async () => {
    const s = setup();
    const alice = s.session.login(s.token(ALICE));
    const bob = s.session.login(s.token(BOB));
    expect(s.session.state).toEqual({ status: "authenticating", userId: BOB });
    s.sent[0]?.resolve({ success: true });
    expect(await codeOf(alice)).toBe("not_authenticated");
    s.sent[1]?.resolve({ success: true });
    await expect(bob).resolves.toMatchObject({ status: "authenticated", userId: BOB });
  });

  it("another user's login that fails restores the session held and elevates the socket again", async () => {
    const s = setup();
    await s.loggedIn(ALICE);
    const aliceToken = s.session.currentToken();
    const bob = s.session.login(s.token(BOB));
    expect(s.session.holderId).toBe(ALICE);
    s.last("request_elevation").reject(new GatewayError("disconnected", "dropped"));
    expect(await codeOf(bob)).toBe("disconnected");
    expect(s.session.state).toMatchObject({ status: "authenticated", userId: ALICE });
    expect(s.userChanges()).toBe(0);
    const again = s.last("request_elevation");
    expect(again.payload).toMatchObject({ token: aliceToken });
    again.resolve({ success: true });
    await flush();
    expect(s.log.at(-1)).toBe("authReady true");
    expect(s.elevated).toEqual([false, true]);
  });

  it("another user's login that succeeds fails the previous user's requests and says the user changed", async () => {
    const s = setup();
    await s.loggedIn(ALICE);
    await s.loggedIn(BOB);
    expect(s.log).toContain("fail not_authenticated");
    expect(s.userChanges()).toBe(1);
    expect(s.session.holderId).toBe(BOB);
  });
});

describe("Session: expiry and new sockets", () => {
  it("the gateway's expiry: expired, no token, what needs a login fails session_expired", async () => {
    const s = setup();
    await s.loggedIn(ALICE);
    s.session.expired();
    expect(s.session.state).toEqual({ status: "expired", userId: ALICE });
    expect(s.session.currentToken()).toBeNull();
    expect(s.session.holderId).toBe(ALICE);
    expect(s.session.loginNeeded("spectate").code).toBe("session_expired");
    expect(s.log.at(-1)).toBe("fail session_expired");
    expect(s.live()).toBe(0);
  });

  it("a new socket is elevated again with the token held; a token run out expires instead", async () => {
    const s = setup();
    await s.loggedIn(ALICE, 120);
    s.session.reconnected();
    s.last("request_elevation").resolve({ success: true });
    await flush();
    expect(s.elevated).toEqual([false, true]);
    s.session.dispose();
    s.advance(121_000);
    s.session.reconnected();
    expect(s.session.state).toEqual({ status: "expired", userId: ALICE });
  });

  it("a re-elevation that times out is retried with back-off; a new socket cancels the retry", async () => {
    const s = setup();
    await s.loggedIn(ALICE);
    s.session.reconnected();
    s.last("request_elevation").reject(new GatewayError("timeout", "slow"));
    await flush();
    expect(s.sent).toHaveLength(2);
    s.advance(1_000);
    expect(s.sent).toHaveLength(3);
    s.last("request_elevation").reject(new GatewayError(500, "fault"));
    await flush();
    s.advance(1_999);
    expect(s.sent).toHaveLength(3);
    s.session.reconnected(); // a new socket: elevated at once, the retry goes
    expect(s.sent).toHaveLength(4);
    s.advance(10_000);
    expect(s.sent).toHaveLength(4);
  });

  it("dispose cancels the refresh and the elevation retry: no timer is left", async () => {
    const s = setup();
    await s.loggedIn(ALICE);
    s.session.reconnected();
    s.last("request_elevation").reject(new GatewayError("timeout", "slow"));
    await flush();
    expect(s.live()).toBe(2);
    s.session.dispose();
    expect(s.live()).toBe(0);
  });
});

describe("Session: refresh", () => {
  it("asks a tab's refresher before exp and logs in with the fresh token, the session shown throughout", async () => {
    const s = setup(30_000);
    let calls = 0;
    const fresh = s.token(ALICE, 300, "fresh");
    s.session.setRefresher("tab", async () => {
      calls++;
      return fresh;
    });
    await s.loggedIn(ALICE, 120);
    s.advance(89_000);
    expect(calls).toBe(0);
    s.advance(2_000);
    expect(calls).toBe(1);
    await flush();
    expect(s.last("request_elevation").payload).toMatchObject({ token: fresh });
    expect(s.session.state.status).toBe("authenticated");
    s.last("request_elevation").resolve({ success: true });
    await flush();
    expect(s.session.currentToken()).toBe(fresh);
    expect(s.shown.map((state) => state.status)).toEqual([
      "authenticating",
      "authenticated",
      "authenticated",
    ]);
  });

  it("skips a refresher that gives another user's token or never answers (after 10 s)", async () => {
    const s = setup(30_000);
    const asked: string[] = [];
    s.session.setRefresher("bob", async () => (asked.push("bob"), s.token(BOB)));
    s.session.setRefresher("frozen", () => (asked.push("frozen"), new Promise<string>(() => {})));
    s.session.setRefresher("alice", async () => (asked.push("alice"), s.token(ALICE, 300)));
    await s.loggedIn(ALICE, 120);
    s.advance(90_000);
    await flush();
    expect(asked).toEqual(["bob", "frozen"]);
    s.advance(10_000);
    await flush();
    expect(asked).toEqual(["bob", "frozen", "alice"]);
    expect(s.sent).toHaveLength(2);
  });

  it("a refresh due while another user's login is answered waits for it, and is armed again if it fails", async () => {
    const s = setup(30_000);
    let calls = 0;
    s.session.setRefresher("tab", async () => (calls++, s.token(ALICE, 300)));
    await s.loggedIn(ALICE, 20);
    const bob = s.session.login(s.token(BOB));
    s.advance(10_500);
    expect(calls).toBe(0);
    s.last("request_elevation").resolve({ success: false });
    expect(await codeOf(bob)).toBe(401);
    await flush();
    s.advance(4_749);
    expect(calls).toBe(0);
    s.advance(1);
    expect(calls).toBe(1);
  });

  it("a removed tab's refresher is not asked", async () => {
    const s = setup(30_000);
    let calls = 0;
    s.session.setRefresher("tab", async () => (calls++, s.token(ALICE, 300)));
    s.session.removeTab("tab");
    await s.loggedIn(ALICE, 120);
    s.advance(100_000);
    await flush();
    expect(calls).toBe(0);
  });
});

describe("Session: the token stays in the worker", () => {
  it("no state shown and no error carries it", async () => {
    const s = setup();
    const token = s.token(ALICE);
    const errors: unknown[] = [];
    const login = s.session.login(token);
    s.last("request_elevation").resolve({ success: true });
    await login;
    const bob = s.session.login(s.token(BOB)).catch((error: unknown) => errors.push(error));
    s.last("request_elevation").resolve({ success: false });
    await bob;
    const again = s.session.login(token).catch((error: unknown) => errors.push(error));
    s.last("request_elevation").reject(new GatewayError("timeout", "no answer"));
    await again;
    expect(errors).toHaveLength(2);
    const seen = JSON.stringify([s.shown, s.session.state, errors.map((e) => String(e))]);
    expect(seen).not.toContain(token);
    expect(seen).not.toContain(token.split(".")[1]);
  });
});
