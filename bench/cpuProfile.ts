/** A CPU profile as CDP's `Profiler.stop` returns it (the parts the bench reads). */
export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The share of a profile's time its thread was busy (every sample but `(idle)`). */
export function busyShare(profile: Profile): number {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++)
    if (!idle.has(profile.samples[i]!)) busy += profile.timeDeltas[i] ?? 0;
  return busy / (profile.endTime - profile.startTime);
}

/** Self time per function (ms), top `n`, and the profile's length. */
export function topSelf(profile: Profile, n = 15): { total: number; top: [string, number][] } {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byNode.get(profile.samples[i]!);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.split("/").pop()?.split("?")[0] ?? "";
    const key = `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  }
  const total = (profile.endTime - profile.startTime) / 1000;
  return { total, top: [...self].sort((a, b) => b[1] - a[1]).slice(0, n) };
}

/**
 * The longest stretch of a profile its thread was busy without a break (consecutive samples
 * other than `(idle)`), with the self time per function within it: what one long task did.
 */
export function longestBusy(profile: Profile, n = 8): { ms: number; top: [string, number][] } {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  let best = { from: 0, to: 0, ms: 0 };
  let from = 0;
  let ms = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    if (idle.has(profile.samples[i]!)) {
      from = i + 1;
      ms = 0;
      continue;
    }
    ms += (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (ms > best.ms) best = { from, to: i + 1, ms };
  }
  const stretch = {
    ...profile,
    samples: profile.samples.slice(best.from, best.to),
    timeDeltas: [0, ...profile.timeDeltas.slice(best.from + 1, best.to + 1)],
  };
  return { ms: best.ms, top: topSelf(stretch, n).top };
}
