import { afterEach, describe, expect, it } from "vitest";
import { createLocalHistory } from "../history";
import { startHarness, type Harness } from "./harness";

let h: Harness;
afterEach(async () => h?.stop());

/** A node whose history cannot bring any guild's pools up to date, and which counts the attempts. */
async function start(): Promise<{ reads: (string | undefined)[] }> {
  const reads: (string | undefined)[] = [];
  h = await startHarness({
    history: ({ events }) => ({
      ...createLocalHistory(events),
      async beforeGuildRead(guildId) {
        reads.push(guildId);
        throw new Error("pool history lost");
      },
    }),
  });
  return { reads };
}

describe("pool requests check access before they bring the node's copy up to date", () => {
  it("a guild the user may not see is a 403, with no catch-up (not a 500 when history is lost)", async () => {
    const { reads } = await start();
    const { client: c, token } = await h.userClient("dave");
    const small = h.guildId("Small Talk"); // not dave's
    const refused = [
      await c.fails("pool_request", { token, type: "member", guild_id: small, ids: ["1"] }),
      await c.fails("pool_all_request", { token, type: "role", guild_id: small }),
      await c.fails("pool_search_request", { token, type: "member", guild_id: small, query: "a" }),
      await c.fails("pool_request", { token, type: "member", guild_id: "123456789", ids: ["1"] }),
    ];
    expect(refused.map((e) => e.code)).toEqual([403, 403, 403, 403]);
    expect(reads).toEqual([]);
  });

  it("guild-agnostic pools need no catch-up; a readable guild's pools do", async () => {
    const { reads } = await start();
    const { client: c, token, userId } = await h.userClient("dave");
    await c.ask("pool_request", { token, type: "user", ids: [userId] }, "pool_response");
    await c.ask("pool_all_request", { token, type: "guild" }, "pool_response");
    const hub = h.guildId("Architus Hub");
    expect((await c.fails("pool_request", { token, type: "member", guild_id: hub, ids: ["1"] })).code).toBe(
      500,
    );
    expect(reads).toEqual([hub]);
  });
});
