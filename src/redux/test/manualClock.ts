import type { Cancel, Clock } from "../../shared/clock";

/** A clock whose timers fire only when the test advances it (no sleeps). */
export function manualClock(): Pick<Clock, "setTimeout"> & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let timers: { at: number; run: () => void }[] = [];
  return {
    setTimeout(callback, ms): Cancel {
      const timer = { at: now + ms, run: callback };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at);
      timers = timers.filter((t) => t.at > now);
      for (const timer of due) timer.run();
    },
    pending: () => timers.length,
  };
}
