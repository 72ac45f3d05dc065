import { describe, expect, it } from "vitest";
import { GatewayError } from "../shared";
import {
  DEFAULT_LINK_RULES,
  stepLink,
  type LinkEffect,
  type LinkEvent,
  type LinkPhase,
  type LinkRules,
} from "./linkMachine";

const T0 = 1_000_000;
const refused = new GatewayError("config_mismatch", "another url");
const noScript = new GatewayError("unsupported", "no worker");
const helloTimeout = new GatewayError("timeout", "the worker did not answer within 10000 ms");
const leaderDown = new GatewayError("unsupported", "the leader's worker keeps failing");

const starting = (fields: Partial<Extract<LinkPhase, { name: "starting" }>> = {}): LinkPhase => ({
  name: "starting",
  attempt: 1,
  restart: false,
  startedAt: T0,
  quickDeaths: 0,
  ...fields,
});
const ready = (fields: Partial<Extract<LinkPhase, { name: "ready" }>> = {}): LinkPhase => ({
  name: "ready",
  attempt: 1,
  startedAt: T0,
  quickDeaths: 0,
  ...fields,
});
const broken: LinkPhase = { name: "broken", attempt: 1, startedAt: T0, quickDeaths: 0, error: leaderDown };
const failed: LinkPhase = { name: "failed", error: refused };
const closing: LinkPhase = { name: "closing", attempt: 1 };
const closed: LinkPhase = { name: "closed" };

const disconnected = expect.objectContaining({ name: "GatewayError", code: "disconnected" });
const closedError = expect.objectContaining({ name: "GatewayError", code: "closed" });
const drop = (error: unknown): LinkEffect => ({ type: "drop", error }) as LinkEffect;

interface Row {
  phase: LinkPhase;
  event: LinkEvent;
  next: LinkPhase;
  effects: LinkEffect[];
  rules?: LinkRules;
}

/** Every phase × event that changes something, and the ones that must not. */
const table: Record<string, Row> = {
  // starting
  "starting: the first worker answers hello and is watched": {
    phase: starting(),
    event: { type: "helloAnswered", attempt: 1, workerLock: "w-life" },
    next: ready(),
    effects: [{ type: "watch", attempt: 1, lock: "w-life" }],
  },
  "starting: a worker without a lifetime lock is not watched": {
    phase: starting(),
    event: { type: "helloAnswered", attempt: 1, workerLock: null },
    next: ready(),
    effects: [],
  },
  "starting (restart): the replacement answers, the owner is told": {
    phase: starting({ attempt: 3, restart: true, startedAt: T0 + 5, quickDeaths: 2 }),
    event: { type: "helloAnswered", attempt: 3, workerLock: "w-life" },
    next: ready({ attempt: 3, startedAt: T0 + 5, quickDeaths: 2 }),
    effects: [{ type: "watch", attempt: 3, lock: "w-life" }, { type: "restarted" }],
  },
  "starting: the first hello fails, final (ready rejects, no listener told)": {
    phase: starting(),
    event: { type: "helloFailed", attempt: 1, error: refused },
    next: { name: "failed", error: refused },
    effects: [drop(refused)],
  },
  "starting (restart): the replacement's hello fails, the owner is told": {
    phase: starting({ attempt: 2, restart: true }),
    event: { type: "helloFailed", attempt: 2, error: refused },
    next: { name: "failed", error: refused },
    effects: [drop(refused), { type: "failed", error: refused }],
  },
  "starting (restart): the replacement never answers hello: another, counted as a quick death": {
    phase: starting({ attempt: 2, restart: true, quickDeaths: 1 }),
    event: { type: "helloFailed", attempt: 2, error: helloTimeout },
    next: starting({ attempt: 3, restart: true, quickDeaths: 2 }),
    effects: [drop(helloTimeout), { type: "start", attempt: 3 }],
  },
  "starting (restart): replacements that never answer, past the quick deaths: final": {
    phase: starting({ attempt: 7, restart: true, quickDeaths: DEFAULT_LINK_RULES.maxQuickDeaths }),
    event: { type: "helloFailed", attempt: 7, error: helloTimeout },
    next: { name: "failed", error: helloTimeout },
    effects: [drop(helloTimeout), { type: "failed", error: helloTimeout }],
  },
  "starting: the first worker never answers hello: final (no replacement of a first worker)": {
    phase: starting(),
    event: { type: "helloFailed", attempt: 1, error: helloTimeout },
    next: { name: "failed", error: helloTimeout },
    effects: [drop(helloTimeout)],
  },
  "starting (restart): the replacement cannot be opened": {
    phase: starting({ attempt: 2, restart: true }),
    event: { type: "startFailed", attempt: 2, error: noScript },
    next: { name: "failed", error: noScript },
    effects: [drop(noScript), { type: "failed", error: noScript }],
  },
  "starting: the leader's worker fails before hello is answered": {
    phase: starting(),
    event: { type: "leaderFailed", error: leaderDown },
    next: { name: "failed", error: leaderDown },
    effects: [drop(leaderDown)],
  },
  "starting: an answer of an older attempt changes nothing": {
    phase: starting({ attempt: 2, restart: true }),
    event: { type: "helloAnswered", attempt: 1, workerLock: "old" },
    next: starting({ attempt: 2, restart: true }),
    effects: [],
  },
  "starting: a worker not yet watched cannot be seen gone": {
    phase: starting(),
    event: { type: "workerGone", attempt: 1, at: T0 + 1 },
    next: starting(),
    effects: [],
  },
  "starting: close waits for the hello, then says bye": {
    phase: starting(),
    event: { type: "close" },
    next: closing,
    effects: [{ type: "sayBye" }],
  },
  // ready
  "ready: the worker ends after a long life, another starts": {
    phase: ready({ quickDeaths: 3 }),
    event: { type: "workerGone", attempt: 1, at: T0 + 10_000 },
    next: starting({ attempt: 2, restart: true, startedAt: T0 + 10_000, quickDeaths: 0 }),
    effects: [drop(disconnected), { type: "lost" }, { type: "start", attempt: 2 }],
  },
  "ready: the worker ends soon after its start, a quick death is counted": {
    phase: ready({ quickDeaths: 4 }),
    event: { type: "workerGone", attempt: 1, at: T0 + 9_999 },
    next: starting({ attempt: 2, restart: true, startedAt: T0 + 9_999, quickDeaths: 5 }),
    effects: [drop(disconnected), { type: "lost" }, { type: "start", attempt: 2 }],
  },
  "ready: the sixth quick death in a row fails the link": {
    phase: ready({ quickDeaths: 5 }),
    event: { type: "workerGone", attempt: 1, at: T0 + 1 },
    next: { name: "failed", error: expect.objectContaining({ code: "unsupported" }) as GatewayError },
    effects: [
      drop(disconnected),
      { type: "lost" },
      { type: "failed", error: expect.objectContaining({ code: "unsupported" }) as GatewayError },
    ],
  },
  "ready (leader rules): handovers in a row are no crash loop": {
    phase: ready({ quickDeaths: 0 }),
    event: { type: "workerGone", attempt: 1, at: T0 + 1 },
    rules: { ...DEFAULT_LINK_RULES, minLifeMs: 0 },
    next: starting({ attempt: 2, restart: true, startedAt: T0 + 1, quickDeaths: 0 }),
    effects: [drop(disconnected), { type: "lost" }, { type: "start", attempt: 2 }],
  },
  "ready: the end of an older attempt changes nothing": {
    phase: ready({ attempt: 2 }),
    event: { type: "workerGone", attempt: 1, at: T0 + 1 },
    next: ready({ attempt: 2 }),
    effects: [],
  },
  "ready: the leader's worker fails, calls fail with the reason until the worker ends": {
    phase: ready(),
    event: { type: "leaderFailed", error: leaderDown },
    next: broken,
    effects: [{ type: "abort", error: leaderDown }],
  },
  "ready: a late hello failure changes nothing": {
    phase: ready(),
    event: { type: "helloFailed", attempt: 1, error: refused },
    next: ready(),
    effects: [],
  },
  "ready: close says bye": {
    phase: ready(),
    event: { type: "close" },
    next: closing,
    effects: [{ type: "sayBye" }],
  },
  "ready: byeDone before close changes nothing": {
    phase: ready(),
    event: { type: "byeDone" },
    next: ready(),
    effects: [],
  },
  // broken
  "broken: the worker ends, another starts": {
    phase: broken,
    event: { type: "workerGone", attempt: 1, at: T0 + 20_000 },
    next: starting({ attempt: 2, restart: true, startedAt: T0 + 20_000 }),
    effects: [drop(disconnected), { type: "lost" }, { type: "start", attempt: 2 }],
  },
  "broken: another leader failure changes nothing": {
    phase: broken,
    event: { type: "leaderFailed", error: refused },
    next: broken,
    effects: [],
  },
  "broken: close says bye": {
    phase: broken,
    event: { type: "close" },
    next: closing,
    effects: [{ type: "sayBye" }],
  },
  // failed
  "failed: close lets go at once": {
    phase: failed,
    event: { type: "close" },
    next: closed,
    effects: [{ type: "release" }],
  },
  "failed: a worker's end changes nothing": {
    phase: failed,
    event: { type: "workerGone", attempt: 1, at: T0 + 1 },
    next: failed,
    effects: [],
  },
  "failed: a leader failure changes nothing": {
    phase: failed,
    event: { type: "leaderFailed", error: leaderDown },
    next: failed,
    effects: [],
  },
  // closing
  "closing: bye said, everything let go": {
    phase: closing,
    event: { type: "byeDone" },
    next: closed,
    effects: [drop(closedError), { type: "release" }],
  },
  "closing: the worker ended unseen, so bye ends (it would never be answered)": {
    phase: closing,
    event: { type: "workerGone", attempt: 1, at: T0 + 1 },
    next: closing,
    effects: [{ type: "abort", error: disconnected }],
  },
  "closing: the leader's worker fails, so bye ends": {
    phase: closing,
    event: { type: "leaderFailed", error: leaderDown },
    next: closing,
    effects: [{ type: "abort", error: leaderDown }],
  },
  "closing: a hello answered now starts nothing": {
    phase: closing,
    event: { type: "helloAnswered", attempt: 1, workerLock: "w-life" },
    next: closing,
    effects: [],
  },
  "closing: close again changes nothing": {
    phase: closing,
    event: { type: "close" },
    next: closing,
    effects: [],
  },
  "closing (nothing open): bye done, only the release": {
    phase: { name: "closing", attempt: null },
    event: { type: "byeDone" },
    next: closed,
    effects: [{ type: "release" }],
  },
  // closed
  "closed: close again changes nothing": {
    phase: closed,
    event: { type: "close" },
    next: closed,
    effects: [],
  },
  "closed: a late bye changes nothing": {
    phase: closed,
    event: { type: "byeDone" },
    next: closed,
    effects: [],
  },
  "closed: a late leader failure changes nothing": {
    phase: closed,
    event: { type: "leaderFailed", error: leaderDown },
    next: closed,
    effects: [],
  },
};

describe("stepLink, the worker link's transitions", () => {
  it.each(Object.entries(table))("%s", (_, row) => {
    const step = stepLink(row.phase, row.event, row.rules);
    expect(step.phase).toEqual(row.next);
    expect(step.effects).toEqual(row.effects);
  });

  it("is pure: the phase it is given is not changed", () => {
    const phase = ready({ quickDeaths: 2 });
    const copy = structuredClone(phase);
    stepLink(phase, { type: "workerGone", attempt: 1, at: T0 + 1 });
    stepLink(phase, { type: "close" });
    expect(phase).toEqual(copy);
  });

  it("gives up after exactly six quick deaths in a row, and a long life resets the count", () => {
    let phase: LinkPhase = starting();
    let at = T0;
    const die = (after: number) => {
      phase = stepLink(phase, { type: "helloAnswered", attempt: attemptOf(phase), workerLock: "l" }).phase;
      at += after;
      return stepLink(phase, { type: "workerGone", attempt: attemptOf(phase), at });
    };
    for (let i = 0; i < 5; i++) phase = die(1_000).phase;
    phase = die(10_000).phase; // a long life: the count starts again
    expect(phase).toMatchObject({ name: "starting", quickDeaths: 0 });
    for (let i = 0; i < 5; i++) phase = die(1_000).phase;
    expect(phase).toMatchObject({ name: "starting", quickDeaths: 5 });
    const last = die(1_000);
    expect(last.phase).toMatchObject({ name: "failed", error: { code: "unsupported" } });
    expect(last.effects.map((e) => e.type)).toEqual(["drop", "lost", "failed"]);
  });
});

function attemptOf(phase: LinkPhase): number {
  if (!("attempt" in phase) || phase.attempt === null) throw new Error(`no attempt in ${phase.name}`);
  return phase.attempt;
}
