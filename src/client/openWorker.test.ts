import { afterEach, describe, expect, it } from "vitest";
import { GatewayError } from "../shared";
import { openWorker } from "./openWorker";

describe("openWorker", () => {
  const original = (globalThis as { Worker?: unknown }).Worker;
  afterEach(() => {
    (globalThis as { Worker?: unknown }).Worker = original;
  });

  it("refuses a browser with neither SharedWorker nor Worker, typed", () => {
    delete (globalThis as { Worker?: unknown }).Worker;
    expect(() => openWorker(() => ({}) as Worker, true)).toThrow(
      expect.objectContaining({ name: "GatewayError", code: "unsupported" }),
    );
  });

  it("turns a factory that throws (a cross-origin worker URL) into a typed error", () => {
    (globalThis as { Worker?: unknown }).Worker = class {};
    const factory = () => {
      throw new Error(
        "Failed to construct 'SharedWorker': Script at 'https://cdn.example/w.js' cannot be accessed",
      );
    };
    let thrown: unknown;
    try {
      openWorker(factory, true);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect(thrown).toMatchObject({ code: "unsupported" });
    expect((thrown as Error).message).toContain("cannot be accessed");
  });
});
