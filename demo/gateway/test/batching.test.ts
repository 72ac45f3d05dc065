import { afterEach, describe, expect, it } from "vitest";
import type { LogBatchPayload, LogOtherPayload, LogPoolPayload } from "../../../src/protocol";
import { batchFrames, MAX_BATCH_ENTRIES } from "../batches";
import { startHarness, type Harness } from "./harness";
import type { TestClient } from "./testClient";

let h: Harness;
afterEach(async () => h?.stop());

/** What a client got of the log stream, single frames and batches alike, as raw entry strings. */
function received(client: TestClient): { logs: string[]; pool: string[]; batches: number; singles: number } {
  const logs: string[] = [];
  const pool: string[] = [];
  let batches = 0;
  let singles = 0;
  for (const frame of client.frames) {
    if (frame.event === "log_other" || frame.event === "log_pool") {
      singles++;
      (frame.event === "log_other" ? logs : pool).push(frame.raw as string);
    } else if (frame.event === "log_batch") {
      batches++;
      const batch = frame.payload as LogBatchPayload;
      for (const e of batch.logs) logs.push(JSON.stringify(e));
      for (const e of batch.pool) pool.push(JSON.stringify(e));
    }
  }
  return { logs, pool, batches, singles };
}
const seqs = (entries: string[]) => entries.map((e) => (JSON.parse(e) as { seq: number }).seq);
const canonical = (entries: string[]) => entries.map((e) => JSON.stringify(JSON.parse(e)));

async function spectate(client: TestClient, token: string, guild: string, extra: object = {}) {
  return client.ask("spectate", { token, guild_id: guild, include_logs: true, ...extra }, "spectate_return");
}

describe("Extension 1: batched pushes", () => {
  it("a socket that asks gets log_batch frames holding exactly what a single-frame socket gets, in seq order", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const single = await h.userClient("dave");
    const batched = await h.userClient("dave");
    expect((await spectate(single.client, single.token, hub)).batch_ms).toBeUndefined();
    expect((await spectate(batched.client, batched.token, hub, { batch_ms: 20 })).batch_ms).toBe(20);
    await h.gateway.activity.publish(hub, "message", 1500);
    await h.gateway.activity.publish(hub, "private_message", 200);
    await h.gateway.activity.publish(hub, "pool_update", 30);
    await single.client.waitFor(
      (f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === 1700,
    );
    await batched.client.waitFor(
      (f) => f.event === "log_batch" && (f.payload as LogBatchPayload).logs.some((e) => e.seq === 1700),
    );
    await single.client.waitFor((f) => f.event === "log_pool" && (f.payload as LogPoolPayload).seq === 30);
    await batched.client.waitFor(
      (f) => f.event === "log_batch" && (f.payload as LogBatchPayload).pool.some((e) => e.seq === 30),
    );
    const a = received(single.client);
    const b = received(batched.client);
    expect(b.singles).toBe(0);
    expect(a.batches).toBe(0);
    expect(seqs(b.logs)).toEqual(Array.from({ length: 1700 }, (_, i) => i + 1));
    expect(canonical(b.logs)).toEqual(canonical(a.logs));
    expect(canonical(b.pool)).toEqual(canonical(a.pool));
    // Published in three bursts: a handful of frames (the 1,500 burst needs at least two).
    expect(b.batches).toBeGreaterThanOrEqual(2);
    expect(b.batches).toBeLessThan(20);
    for (const batch of batched.client.of("log_batch")) {
      expect(batch.guild_id).toBe(hub);
      expect(batch.logs.length + batch.pool.length).toBeGreaterThan(0);
      expect(batch.logs.length).toBeLessThanOrEqual(MAX_BATCH_ENTRIES);
    }
  });

  it("filters per socket as single frames do: no private entry without VIEW_PRIVATE_LOGS, no setting without VIEW_SETTINGS", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const bob = await h.userClient("bob"); // public logs only
    const bobSingle = await h.userClient("bob");
    const dave = await h.userClient("dave"); // private logs too
    await spectate(bob.client, bob.token, hub, { batch_ms: 10 });
    await spectate(bobSingle.client, bobSingle.token, hub);
    await spectate(dave.client, dave.token, hub, { batch_ms: 10 });
    await h.gateway.activity.publish(hub, "private_message", 40);
    await h.gateway.activity.publish(hub, "message", 10);
    await h.gateway.activity.publish(hub, "pool_update", 40);
    const last = (c: TestClient, seq: number) =>
      c.waitFor(
        (f) => f.event === "log_batch" && (f.payload as LogBatchPayload).pool.some((e) => e.seq === seq),
      );
    await last(bob.client, 40);
    await last(dave.client, 40);
    await bobSingle.client.waitFor((f) => f.event === "log_pool" && (f.payload as LogPoolPayload).seq === 40);
    const b = received(bob.client);
    const d = received(dave.client);
    expect(seqs(b.logs)).toEqual(Array.from({ length: 10 }, (_, i) => i + 41));
    expect(seqs(d.logs)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // Bob's batches carry his view of the pool events, exactly what his single-frame twin got.
    expect(canonical(b.pool)).toEqual(canonical(received(bobSingle.client).pool));
  });

  it("replays a since as batches, then goes on live; a socket's gathered entries never reach a socket that spectated later", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    // Another socket of the same view and window gathers for 100 ms while the late one spectates.
    const early = await h.userClient("dave");
    await spectate(early.client, early.token, hub, { batch_ms: 100 });
    const late = await h.userClient("dave");
    await h.gateway.activity.publish(hub, "message", 300);
    const ret = await spectate(late.client, late.token, hub, { batch_ms: 100, since: { logs: 100 } });
    expect(ret).toMatchObject({ replayed: 200, logs_seq: 300, batch_ms: 100 });
    await h.gateway.activity.publish(hub, "message", 10);
    await late.client.waitFor(
      (f) => f.event === "log_batch" && (f.payload as LogBatchPayload).logs.some((e) => e.seq === 310),
    );
    expect(seqs(received(late.client).logs)).toEqual(Array.from({ length: 210 }, (_, i) => i + 101));
    expect(received(late.client).singles).toBe(0);
    await early.client.waitFor(
      (f) => f.event === "log_batch" && (f.payload as LogBatchPayload).logs.some((e) => e.seq === 310),
    );
    expect(seqs(received(early.client).logs)).toEqual(Array.from({ length: 310 }, (_, i) => i + 1));
  });

  it("a gateway without the extension ignores batch_ms and sends single frames", async () => {
    h = await startHarness({ batching: false });
    const hub = h.guildId("Architus Hub");
    const dave = await h.userClient("dave");
    expect((await spectate(dave.client, dave.token, hub, { batch_ms: 16 })).batch_ms).toBeUndefined();
    await h.gateway.activity.publish(hub, "message", 50);
    await dave.client.waitFor((f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === 50);
    expect(received(dave.client)).toMatchObject({ batches: 0, singles: 50 });
  });

  it("refuses a batch_ms outside 0–100 with a 400 and changes nothing", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const dave = await h.userClient("dave");
    for (const batch_ms of [101, -1, 1.5, "16", null]) {
      const error = await dave.client.fails("spectate", {
        token: dave.token,
        guild_id: hub,
        include_logs: true,
        batch_ms: batch_ms as number,
      });
      expect(error.code).toBe(400);
    }
    expect([...h.gateway.context.sessions.values()].every((s) => s.guildId === null)).toBe(true);
    // 0 is "no batching".
    expect((await spectate(dave.client, dave.token, hub, { batch_ms: 0 })).batch_ms).toBeUndefined();
  });
});

describe("batchFrames", () => {
  const entry = (seq: number, pad = 0) =>
    JSON.stringify({ guild_id: "1", seq, action: { x: "y".repeat(pad) } });

  it("splits at 1,000 entries per array, keeping seq order", () => {
    const logs = Array.from({ length: 2500 }, (_, i) => entry(i + 1));
    const frames = batchFrames("1", [], logs, 10_000_000).map((f) => JSON.parse(f) as LogBatchPayload);
    expect(frames.map((f) => f.logs.length)).toEqual([1000, 1000, 500]);
    expect(frames.flatMap((f) => f.logs.map((e) => e.seq))).toEqual(
      Array.from({ length: 2500 }, (_, i) => i + 1),
    );
  });

  it("keeps each frame within the byte cap; an entry larger than the cap goes alone", () => {
    const logs = [entry(1, 30_000), entry(2, 30_000), entry(3, 100_000), entry(4, 10)];
    const pool = [entry(1, 20_000)];
    const frames = batchFrames("1", pool, logs, 64 * 1024);
    for (const frame of frames)
      if (!frame.includes('"seq":3,')) expect(Buffer.byteLength(frame)).toBeLessThanOrEqual(64 * 1024);
    const parsed = frames.map((f) => JSON.parse(f) as LogBatchPayload);
    expect(parsed.flatMap((f) => f.logs.map((e) => e.seq))).toEqual([1, 2, 3, 4]);
    expect(parsed.flatMap((f) => f.pool.map((e) => e.seq))).toEqual([1]);
    expect(parsed.find((f) => f.logs.some((e) => e.seq === 3))?.logs).toHaveLength(1);
    expect(batchFrames("1", [], [], 1000)).toEqual([]);
  });
});
