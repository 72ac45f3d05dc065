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
