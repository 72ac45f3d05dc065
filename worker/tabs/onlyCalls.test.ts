import * as Comlink from "comlink";
import { afterEach, describe, expect, it } from "vitest";
import { onlyCalls } from "./onlyCalls";

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

function serve() {
  const channel = new MessageChannel();
  channels.push(channel);
  const api = { secret: "do not read", ping: (x: number) => x + 1 };
  let dropped = 0;
  Comlink.expose(
    api,
    onlyCalls(channel.port1 as unknown as Comlink.Endpoint, ["ping"], () => dropped++),
  );
  const remote = Comlink.wrap<typeof api>(channel.port2 as unknown as Comlink.Endpoint);
  return { api, channel, remote, dropped: () => dropped };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("onlyCalls: what a page may post to the worker", () => {
  it("lets calls of the API through", async () => {
    const { remote } = serve();
    expect(await remote.ping(41)).toBe(42);
  });

  it("drops garbage, reads, writes and prototype paths, and counts them", async () => {
    const { channel, api, dropped } = serve();
    const answers: unknown[] = [];
    channel.port2.addEventListener("message", (e) => answers.push((e as MessageEvent).data));
    const hostile: unknown[] = [
      "garbage",
      42,
      null,
      [1, 2],
      { id: "a", type: "GET", path: ["secret"] },
      { id: "b", type: "SET", path: ["ping"], value: { type: "RAW", value: 1 } },
      { id: "c", type: "SET", path: ["__proto__", "polluted"], value: { type: "RAW", value: true } },
      { id: "d", type: "APPLY", path: ["constructor", "constructor"], argumentList: [] },
      { id: "e", type: "APPLY", path: ["secret"], argumentList: [] },
      { id: "f", type: "CONSTRUCT", path: [], argumentList: [] },
    ];
    for (const message of hostile) channel.port2.postMessage(message);
    await tick();
    expect(dropped()).toBe(hostile.length);
    expect(answers).toEqual([]);
    expect(typeof api.ping).toBe("function");
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
