import { describe, expect, it } from "vitest";
import { GatewayError } from "../shared";
import {
  MAX_SCRIPT_FAILURES,
  stepElection,
  type ElectionEffect,
  type ElectionEvent,
  type ElectionPhase,
} from "./electionMachine";

const noWorker = new GatewayError("unsupported", "not a dedicated Worker");
const refused = new GatewayError("incompatible", "another build");
const keepsFailing = expect.objectContaining({ name: "GatewayError", code: "unsupported" }) as GatewayError;

const waiting: ElectionPhase = { name: "waiting" };
const starting = (attempt = 1, failures = 0): ElectionPhase => ({ name: "starting", attempt, failures });
const leading = (attempt = 1): ElectionPhase => ({ name: "leading", attempt });
const failed = (attempt = 1, failures = 0): ElectionPhase => ({ name: "failed", attempt, failures });
const stopped: ElectionPhase = { name: "stopped" };

interface Row {
  phase: ElectionPhase;
  event: ElectionEvent;
  next: ElectionPhase;
  effects: ElectionEffect[];
}

const nextWorker = (attempt: number): ElectionEffect[] => [
  { type: "terminate" },
  { type: "startWorker", attempt: attempt + 1 },
];

/** Every phase × event that changes something, and the ones that must not. */
const table: Record<string, Row> = {
  // waiting
  "waiting: granted the lead, this tab starts its worker": {
    phase: waiting,
    event: { type: "granted" },
    next: starting(1, 0),
    effects: [{ type: "startWorker", attempt: 1 }],
  },
  "waiting: stop withdraws the request": {
    phase: waiting,
    event: { type: "stop" },
    next: stopped,
    effects: [{ type: "stepDown" }],
  },
  "waiting: a worker's event (none started) changes nothing": {
    phase: waiting,
    event: { type: "scriptFailed", attempt: 1 },
    next: waiting,
    effects: [],
  },
  // starting
  "starting: the worker leads and is watched": {
    phase: starting(2, 3),
    event: { type: "leadAnswered", attempt: 2, workerLock: "w-life" },
    next: leading(2),
    effects: [{ type: "watchWorker", attempt: 2, lock: "w-life" }],
  },
  "starting: a worker without a lifetime lock leads unwatched": {
    phase: starting(),
    event: { type: "leadAnswered", attempt: 1, workerLock: null },
    next: leading(1),
    effects: [],
  },
  "starting: the worker cannot be created, the tabs are told": {
    phase: starting(),
    event: { type: "startFailed", attempt: 1, error: noWorker },
    next: failed(1, 0),
    effects: [{ type: "report", error: noWorker }],
  },
  "starting: the worker refuses to lead, the tabs are told": {
    phase: starting(1, 2),
    event: { type: "leadRefused", attempt: 1, error: refused },
    next: failed(1, 2),
    effects: [{ type: "report", error: refused }],
  },
  "starting: a script failure starts another worker": {
    phase: starting(1, 0),
    event: { type: "scriptFailed", attempt: 1 },
    next: starting(2, 1),
    effects: nextWorker(1),
  },
  [`starting: the ${MAX_SCRIPT_FAILURES}th script failure in a row still starts another`]: {
    phase: starting(5, MAX_SCRIPT_FAILURES - 1),
    event: { type: "scriptFailed", attempt: 5 },
    next: starting(6, MAX_SCRIPT_FAILURES),
    effects: nextWorker(5),
  },
  "starting: one failure more gives up and says why": {
    phase: starting(6, MAX_SCRIPT_FAILURES),
    event: { type: "scriptFailed", attempt: 6 },
    next: failed(6, MAX_SCRIPT_FAILURES + 1),
    effects: [{ type: "report", error: keepsFailing }],
  },
  "starting: an answer of an older worker changes nothing": {
    phase: starting(2, 1),
    event: { type: "leadAnswered", attempt: 1, workerLock: "old" },
    next: starting(2, 1),
    effects: [],
  },
  "starting: a worker not yet leading cannot end unseen": {
    phase: starting(),
    event: { type: "workerEnded", attempt: 1 },
    next: starting(),
    effects: [],
  },
  "starting: stop terminates the worker and steps down": {
    phase: starting(3, 1),
    event: { type: "stop" },
    next: stopped,
    effects: [{ type: "terminate" }, { type: "stepDown" }],
  },
  "starting: granted again changes nothing": {
    phase: starting(),
    event: { type: "granted" },
    next: starting(),
    effects: [],
  },
  // leading
  "leading: the worker ends, another starts": {
    phase: leading(4),
    event: { type: "workerEnded", attempt: 4 },
    next: starting(5, 0),
    effects: nextWorker(4),
  },
  "leading: its script fails, another starts (the count starts again)": {
    phase: leading(4),
    event: { type: "scriptFailed", attempt: 4 },
    next: starting(5, 1),
    effects: nextWorker(4),
  },
  "leading: the end of an older worker changes nothing": {
    phase: leading(4),
    event: { type: "workerEnded", attempt: 3 },
    next: leading(4),
    effects: [],
  },
  "leading: a late refusal changes nothing": {
    phase: leading(1),
    event: { type: "leadRefused", attempt: 1, error: refused },
    next: leading(1),
    effects: [],
  },
  "leading: stop terminates the worker and steps down": {
    phase: leading(2),
    event: { type: "stop" },
    next: stopped,
    effects: [{ type: "terminate" }, { type: "stepDown" }],
  },
  // failed
  "failed: a script failure of its worker still starts another": {
    phase: failed(1, 0),
    event: { type: "scriptFailed", attempt: 1 },
    next: starting(2, 1),
    effects: nextWorker(1),
  },
  "failed: past the limit, it stays failed and says so again": {
    phase: failed(6, MAX_SCRIPT_FAILURES),
    event: { type: "scriptFailed", attempt: 6 },
    next: failed(6, MAX_SCRIPT_FAILURES + 1),
    effects: [{ type: "report", error: keepsFailing }],
  },
  "failed: a late lead answer changes nothing": {
    phase: failed(1),
    event: { type: "leadAnswered", attempt: 1, workerLock: "w-life" },
    next: failed(1),
    effects: [],
  },
  "failed: a worker's end changes nothing (it is not watched)": {
    phase: failed(1),
    event: { type: "workerEnded", attempt: 1 },
    next: failed(1),
    effects: [],
  },
  "failed: stop terminates the worker and steps down": {
    phase: failed(2),
    event: { type: "stop" },
    next: stopped,
    effects: [{ type: "terminate" }, { type: "stepDown" }],
  },
  // stopped
  "stopped: granted after the client closed, let go at once": {
    phase: stopped,
    event: { type: "granted" },
    next: stopped,
    effects: [{ type: "stepDown" }],
  },
  "stopped: stop again changes nothing": {
    phase: stopped,
    event: { type: "stop" },
    next: stopped,
    effects: [],
  },
  "stopped: a late worker event changes nothing": {
    phase: stopped,
    event: { type: "leadAnswered", attempt: 1, workerLock: "w-life" },
    next: stopped,
    effects: [],
  },
};

describe("stepElection, the leader election's transitions", () => {
  it.each(Object.entries(table))("%s", (_, row) => {
    const step = stepElection(row.phase, row.event);
    expect(step.phase).toEqual(row.next);
    expect(step.effects).toEqual(row.effects);
  });

  it("is pure: the phase it is given is not changed", () => {
    const phase = starting(2, 1);
    const copy = structuredClone(phase);
    stepElection(phase, { type: "scriptFailed", attempt: 2 });
    stepElection(phase, { type: "stop" });
    expect(phase).toEqual(copy);
  });

  it("starts six workers whose scripts fail, then gives up; a worker that leads resets the count", () => {
    let phase = stepElection(waiting, { type: "granted" }).phase;
    const attempt = () => (phase.name === "waiting" || phase.name === "stopped" ? 0 : phase.attempt);
    for (let i = 0; i < 3; i++)
      phase = stepElection(phase, { type: "scriptFailed", attempt: attempt() }).phase;
    phase = stepElection(phase, { type: "leadAnswered", attempt: attempt(), workerLock: null }).phase;
    expect(phase).toEqual(leading(4));
    const started: number[] = [];
    for (let i = 0; i <= MAX_SCRIPT_FAILURES; i++) {
      const step = stepElection(phase, { type: "scriptFailed", attempt: attempt() });
      phase = step.phase;
      for (const effect of step.effects) if (effect.type === "startWorker") started.push(effect.attempt);
    }
    expect(started).toEqual([5, 6, 7, 8, 9]);
    expect(phase).toEqual(failed(9, MAX_SCRIPT_FAILURES + 1));
  });
});
