import { configureStore, type Middleware } from "@reduxjs/toolkit";
import { describe, expect, it } from "vitest";
import { createGatewayRedux } from "./createGatewayRedux";
import { INITIAL_GATEWAY_STATE } from "./gatewayState";
import { tokenFor } from "./test/fakeClient";

describe("server rendering / a Gatsby build (Node: no window, no SharedWorker)", () => {
  it("creating the store and dispatching calls nothing, does nothing and throws nothing", async () => {
    expect(typeof window).toBe("undefined");
    let factoryCalls = 0;
    const gateway = createGatewayRedux(() => {
      factoryCalls += 1;
      throw new Error("the factory must not run in Node");
    });
    const seen: string[] = [];
    const recorder: Middleware = () => (next) => (action) => {
      seen.push((action as { type: string }).type);
      return next(action);
    };
    const store = configureStore({
      reducer: { gateway: gateway.reducer },
      middleware: (getDefault) => getDefault().concat(gateway.middleware, recorder),
    });
    const spec = { pool: "channel" as const, guildId: "1" };
    store.dispatch(gateway.actions.start());
    store.dispatch(gateway.actions.subscribe(spec));
    store.dispatch(gateway.actions.subscribe({ logs: "1", limit: 10 }));
    const settled = await Promise.all([
      store.dispatch(gateway.actions.login(tokenFor("1"))),
      store.dispatch(gateway.actions.login("malformed")),
      store.dispatch(gateway.actions.logout()),
      store.dispatch(gateway.actions.spectate("1")),
    ]);
    store.dispatch(gateway.actions.release(spec));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(factoryCalls).toBe(0);
    // Commands resolve with a rejected action that was not dispatched; nothing else reached the store.
    for (const action of settled) expect(action).toMatchObject({ error: { code: expect.any(String) } });
    expect(seen).toEqual(["gateway/start", "gateway/subscribe", "gateway/subscribe", "gateway/release"]);
    expect(store.getState().gateway).toEqual(INITIAL_GATEWAY_STATE);
  });
});
