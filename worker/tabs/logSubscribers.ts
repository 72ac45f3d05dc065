import type { LogGap } from "../../src/shared";

/** One log subscription's sink: the gateway's JSON of each entry, and gaps. */
export interface LogSink {
  entry(raw: string, seq: number): void;
  gap(gap: LogGap): void;
}

/** Log subscribers by guild, then by subscription key (the hub holds them, frames feed them). */
export type LogSubscribers = Map<string, Map<string, LogSink>>;
