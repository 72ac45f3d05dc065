import { configureStore } from "@reduxjs/toolkit";
import { afterEach, describe, expect, it } from "vitest";
import { GatewayError } from "../shared/GatewayError";
import { createGatewayRedux } from "./createGatewayRedux";
import { tokenFor } from "./test/fakeClient";
import { settle, testStore } from "./test/testStore";

const guildId = "100";
let current: ReturnType<typeof testStore> | null = null;
afterEach(() => {
  if (!current) return;
  current.restore();
  expect(current.warnings).toEqual([]);
  current = null;
});

describe("observable errors become plain {code, message} in the slice, never a throw", () => {
  it("a pool observable that errors (online view on a gateway without it: unsupported)", async () => {
    const t = (current = testStore());
    const online = { pool: "member" as const, guildId, view: "online" as const };
    t.store.dispatch(t.gateway.actions.subscribe(online));
    t.fake.pool(`member|${guildId}|online`).fail(new GatewayError("unsupported", "no online view"));
    await settle();
    const slice = t.gateway.selectors.pool(t.store.getState(), online);
    expect(slice).toMatchObject({
      status: "error",
      error: { code: "unsupported", message: "no online view" },
    });
    expect(slice.error).not.toBeInstanceOf(Error);
    expect(t.seen.find((a) => a.type === "gateway/pool/rejected")).toMatchObject({
      error: { code: "unsupported" },
    });
    // The next subscriber tries again.
    t.store.dispatch(t.gateway.actions.subscribe(online));
    expect(t.fake.pool(`member|${guildId}|online`).opened).toBe(2);
  });

  it("a logs observable that errors (closed), and an error that is no GatewayError (500)", async () => {
    const t = (current = testStore());
    t.store.dispatch(t.gateway.actions.subscribe({ logs: guildId }));
    t.fake.logs(guildId).fail(new GatewayError("closed", "this client was closed"));
    t.store.dispatch(t.gateway.actions.subscribe({ pool: "role", guildId }));
    t.fake.pool(`role|${guildId}|all`).fail(new TypeError("boom"));
    await settle();
    expect(t.gateway.selectors.logWindow(t.store.getState(), guildId).error).toEqual({
      code: "closed",
      message: "this client was closed",
    });
    expect(t.gateway.selectors.pool(t.store.getState(), { pool: "role", guildId }).error).toEqual({
      code: 500,
      message: "boom",
    });
  });

  it("a client call that throws synchronously (a handle's bad_input) is a slice error", async () => {
    const t = (current = testStore());
    t.fake.client.pool = () => {
      throw new GatewayError("bad_input", "no such pool");
    };
    t.store.dispatch(t.gateway.actions.subscribe({ pool: "channel", guildId }));
    await settle();
    expect(t.gateway.selectors.pool(t.store.getState(), { pool: "channel", guildId }).error).toEqual({
      code: "bad_input",
      message: "no such pool",
    });
  });

  it("a factory that throws (no Worker in this browser): the state says why, commands reject with it", async () => {
    // Only for its console capture: this test's own store must not make RTK's checks report either.
    current = testStore();
    let calls = 0;
    const gateway = createGatewayRedux(
      () => {
        calls += 1;
        throw new GatewayError("unsupported", "no Worker here");
      },
      { isBrowser: () => true },
    );
    const store = configureStore({
      reducer: { gateway: gateway.reducer },
      middleware: (getDefault) => getDefault().prepend(gateway.middleware),
    });
    store.dispatch(gateway.actions.subscribe({ pool: "channel", guildId }));
    const settled = await store.dispatch(gateway.actions.login(tokenFor("1")));
    await settle();
    expect(settled).toMatchObject({ type: "gateway/login/rejected", error: { code: "unsupported" } });
    expect(gateway.selectors.error(store.getState())).toEqual({
      code: "unsupported",
      message: "no Worker here",
    });
    expect(gateway.selectors.pool(store.getState(), { pool: "channel", guildId }).error?.code).toBe(
      "unsupported",
    );
    expect(calls).toBe(1);
  });
});
