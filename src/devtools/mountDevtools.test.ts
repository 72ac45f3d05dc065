import { describe, expect, it } from "vitest";
import { GatewayError } from "../shared";
import { mountDevtools, type DevtoolsClient } from "./mountDevtools";

const code = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof GatewayError ? error.code : `not a GatewayError: ${String(error)}`;
  }
  return "did not throw";
};

describe("mountDevtools: bad input is refused before anything is made", () => {
  it("an element that is not one", () => {
    const client = {} as DevtoolsClient;
    expect(code(() => mountDevtools(null as unknown as HTMLElement, client))).toBe("bad_input");
    expect(code(() => mountDevtools({} as HTMLElement, client))).toBe("bad_input");
  });

  it("a client without the streams", () => {
    let touched = 0;
    const element = {
      append: () => touched++,
      get ownerDocument() {
        return { createElement: () => (touched++, {}) };
      },
    } as unknown as HTMLElement;
    expect(code(() => mountDevtools(element, null as unknown as DevtoolsClient))).toBe("bad_input");
    expect(code(() => mountDevtools(element, { connection$: {} } as unknown as DevtoolsClient))).toBe(
      "bad_input",
    );
    expect(touched).toBe(0);
  });
});
