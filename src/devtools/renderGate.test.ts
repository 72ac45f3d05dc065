import { describe, expect, it } from "vitest";
import { createCountingClock } from "../client/test/fakeEnvironment";
import { createRenderGate } from "./renderGate";

function gate(visible = { value: true }) {
  const clock = createCountingClock(1_000);
  let rendered = 0;
  const g = createRenderGate({
    clock,
    minIntervalMs: 250,
    visible: () => visible.value,
    render: () => rendered++,
  });
  return { clock, g, visible, rendered: () => rendered };
}

describe("createRenderGate", () => {
  it("renders once however many requests come within an interval", () => {
    const { clock, g, rendered } = gate();
    for (let i = 0; i < 1_000; i++) g.request();
    clock.advance(0);
    expect(rendered()).toBe(1);
    for (let i = 0; i < 1_000; i++) {
      g.request();
      clock.advance(1);
    }
    // 1,000 ms of requests every millisecond: one render per 250 ms.
    expect(rendered()).toBe(5);
    expect(g.renders).toBe(5);
  });

  it("renders nothing while hidden, and what waits once it shows", () => {
    const { clock, g, visible, rendered } = gate({ value: false });
    g.request();
    clock.advance(1_000);
    expect(rendered()).toBe(0);
    expect(clock.pending).toBe(0);
    visible.value = true;
    g.visibilityChanged();
    clock.advance(0);
    expect(rendered()).toBe(1);
    // Shown again with nothing new: no render.
    g.visibilityChanged();
    clock.advance(1_000);
    expect(rendered()).toBe(1);
  });

  it("hidden between the request and its turn: skipped, then rendered when shown", () => {
    const { clock, g, visible, rendered } = gate();
    g.request();
    clock.advance(0);
    g.request();
    visible.value = false;
    clock.advance(1_000);
    expect(rendered()).toBe(1);
    visible.value = true;
    g.visibilityChanged();
    clock.advance(0);
    expect(rendered()).toBe(2);
  });

  it("dispose cancels what is scheduled, and later requests do nothing", () => {
    const { clock, g, rendered } = gate();
    g.request();
    clock.advance(0);
    g.request();
    g.dispose();
    expect(clock.pending).toBe(0);
    g.request();
    clock.advance(1_000);
    expect(rendered()).toBe(1);
  });
});
