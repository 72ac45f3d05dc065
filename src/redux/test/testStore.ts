import { configureStore, type Middleware } from "@reduxjs/toolkit";
import { createGatewayRedux, type GatewayReduxOptions } from "../createGatewayRedux";
import { fakeClient } from "./fakeClient";
import { manualClock } from "./manualClock";

/** Lets the queued microtasks run (the binding dispatches a task's stream changes from one). */
export const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * A Redux Toolkit store (its default serializability and immutability checks on) with the
 * binding over a fake client, a recording middleware AFTER the binding's (it sees what reaches
 * the reducers), and console.warn / console.error captured.
 */
export function testStore(options: GatewayReduxOptions & { factory?: boolean } = {}) {
  const fake = fakeClient();
  const clock = manualClock();
  const warnings: unknown[][] = [];
  const ignored: string[] = [];
  const gateway = createGatewayRedux(options.factory === false ? fake.client : () => fake.client, {
    clock,
    isBrowser: () => true,
    warn: (message) => ignored.push(message),
    ...options,
  });
  const seen: { type: string; [key: string]: unknown }[] = [];
  const recorder: Middleware = () => (next) => (action) => {
    seen.push(action as { type: string });
    return next(action);
  };
  const original = { warn: console.warn, error: console.error };
  console.warn = (...args: unknown[]) => void warnings.push(["warn", ...args]);
  console.error = (...args: unknown[]) => void warnings.push(["error", ...args]);
  const store = configureStore({
    reducer: { gateway: gateway.reducer },
    middleware: (getDefault) => getDefault().prepend(gateway.middleware).concat(recorder),
  });
  return {
    store,
    gateway,
    fake,
    clock,
    /** Every action that reached the reducers. */
    seen,
    /** Action types that reached the reducers, in order. */
    types: () => seen.map((a) => a.type),
    /** console.warn / console.error calls (RTK's checks report there). */
    warnings,
    /** Misuse the binding ignored (its `warn` option). */
    ignored,
    /** Puts the console back. */
    restore() {
      console.warn = original.warn;
      console.error = original.error;
    },
  };
}
