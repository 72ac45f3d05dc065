import { describe, expect, it } from "vitest";
import type { ErrorPayload } from "../../src/protocol";
import type { GatewayContext } from "./context";
import type { SocketSession } from "./socketSession";
import { DEFAULT_LIMITS } from "./createGateway";
import { RequestError } from "./elevation";
import { route, type Handlers } from "./router";
import { createStats } from "./stats";

function setup(handler: () => Promise<void>) {
  const sent: { event: string; payload: ErrorPayload }[] = [];
  const stats = createStats();
  const ctx = { stats, limits: DEFAULT_LIMITS } as unknown as GatewayContext;
  const session = {
    socket: { emit: (event: string, raw: string) => sent.push({ event, payload: JSON.parse(raw) }) },
    limiter: { take: () => true },
    queue: Promise.resolve(),
  } as unknown as SocketSession;
  const handlers = { interpret: handler } as unknown as Handlers;
  const call = async (args: unknown[]) => {
    route(ctx, session, handlers, "interpret", args);
    await session.queue;
  };
  return { sent, stats, call };
}

const good = JSON.stringify({ _id: 7, guild_id: "1", message_id: "2", content: "x" });

describe("router", () => {
  it("turns an unexpected handler failure into a 500 with the _id, and keeps going", async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const { sent, stats, call } = setup(async () => {
        throw new TypeError("boom");
      });
      await call([good]);
      expect(sent).toEqual([{ event: "error", payload: { _id: 7, code: 500, message: "gateway fault" } }]);
      expect(stats.snapshot().errors).toEqual({ "500": 1 });
      expect(errors).toHaveLength(1);
    } finally {
      console.error = original;
    }
  });

  it("turns a RequestError into its code", async () => {
    const { sent, call } = setup(async () => {
      throw new RequestError(403, "nope");
    });
    await call([good]);
    expect(sent[0]?.payload).toEqual({ _id: 7, code: 403, message: "nope" });
  });

  it("answers an ack-style call through the ack as well", async () => {
    const { sent, call } = setup(async () => {});
    const acked: string[] = [];
    await call(["not json", (reply: string) => acked.push(reply)]);
    expect(sent[0]?.payload.code).toBe(400);
    expect(JSON.parse(acked[0] ?? "{}")).toMatchObject({ code: 400 });
  });
});
