import { afterEach, describe, expect, it, vi } from "vitest";
import { resolveMode } from "./connectOptions";

afterEach(() => vi.unstubAllGlobals());

describe("resolveMode", () => {
  it("auto: SharedWorker where there is one, else leader with Web Locks and BroadcastChannel, else per tab", () => {
    vi.stubGlobal("SharedWorker", class {});
    vi.stubGlobal("navigator", { locks: {} });
    expect(resolveMode({})).toBe("shared");
    vi.stubGlobal("SharedWorker", undefined);
    expect(resolveMode({ mode: "auto" })).toBe("leader");
    vi.stubGlobal("navigator", {});
    expect(resolveMode({})).toBe("per-tab");
    expect(resolveMode({ shared: false })).toBe("per-tab");
  });

  it("a mode the browser cannot do is unsupported; an unknown one is bad input", () => {
    vi.stubGlobal("SharedWorker", undefined);
    vi.stubGlobal("navigator", {});
    expect(() => resolveMode({ mode: "shared" })).toThrow(expect.objectContaining({ code: "unsupported" }));
    expect(() => resolveMode({ mode: "leader" })).toThrow(expect.objectContaining({ code: "unsupported" }));
    expect(() => resolveMode({ mode: "nope" as "auto" })).toThrow(
      expect.objectContaining({ code: "bad_input" }),
    );
    expect(resolveMode({ mode: "per-tab" })).toBe("per-tab");
  });
});
