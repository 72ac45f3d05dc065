/** Records log arrivals in a bench page: seqs, and emit→arrival latency (ms). */
export class Recorder {
  seqs: number[] = [];
  latencies: number[] = [];
  /** When each entry was emitted (ms since epoch, the gateway's timestamp). */
  emitted: number[] = [];
  recording = false;

  record(seq: number, timestamp: number): void {
    if (!this.recording) return;
    this.seqs.push(seq);
    this.latencies.push(Date.now() - timestamp);
    this.emitted.push(timestamp);
  }

  start(): void {
    this.seqs = [];
    this.latencies = [];
    this.emitted = [];
    this.recording = true;
  }

  stop(): { seqs: number[]; latencies: number[]; emitted: number[] } {
    this.recording = false;
    return { seqs: this.seqs, latencies: this.latencies, emitted: this.emitted };
  }
}

/**
 * Round-trip times (ms) of `once`: `n` samples, each the mean of `group` round trips run one
 * after the other (page timers are coarsened to 0.1 ms without cross-origin isolation, so
 * single sub-0.1 ms round trips cannot be timed one by one).
 */
export async function roundTrips(n: number, once: () => Promise<unknown>, group = 10): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    for (let j = 0; j < group; j++) await once();
    times.push((performance.now() - t0) / group);
  }
  return times;
}
