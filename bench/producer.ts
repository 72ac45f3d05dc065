import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { logsTopic, type Broker } from "../demo/gateway/broker";
import type { Gateway } from "../demo/gateway/createGateway";
import type { LogOtherPayload } from "../src/protocol";
import { atRate } from "./atRate";
import type { ProducerCommand, ProducerMessage } from "./producerProcess";

/** Publishes `rate` log entries a second into a guild for `seconds`; resolves with the seq range. */
export type Produce = (
  guildId: string,
  rate: number,
  seconds: number,
) => Promise<{ from: number; to: number; achievedRate: number }>;

/**
 * Publishes `message` log entries into one guild at `rate` per second for `seconds`, in 10 ms
 * ticks, through the gateway's own producer and broker, in this process (tests; the bench's
 * figures use {@link startProducer}). Resolves with the seq range published.
 */
export async function produceInProcess(
  gateway: Gateway,
  guildId: string,
  rate: number,
  seconds: number,
): Promise<{ from: number; to: number; achievedRate: number }> {
  const topic = logsTopic(guildId);
  const from = gateway.context.events.latest(topic) + 1;
  const made = await atRate(rate, seconds, (due) => gateway.activity.publish(guildId, "message", due));
  return { from, to: gateway.context.events.latest(topic), achievedRate: made.emitted / made.seconds };
}

/** What a run published, at what rate, and the CPU the producer's own process spent on it. */
export interface Produced {
  from: number;
  to: number;
  achievedRate: number;
  /** The producer process's CPU over the run, as a share of one core. */
  producerCpu: number;
}

export interface Producer {
  /** Publishes `message` entries into `guildId` at `rate` a second for `seconds`. */
  produce(guildId: string, rate: number, seconds: number): Promise<Produced>;
  stop(): void;
}

/**
 * Starts the log producer in a process of its own (bench/producerProcess.ts): it makes the
 * entries, this process (the gateway's) numbers each and publishes it on the gateway's broker,
 * as a gateway node takes entries from its message broker. The producer's CPU is then not the
 * gateway's, and is reported apart.
 */
export async function startProducer(gateway: Gateway, broker: Broker, members: number): Promise<Producer> {
  const child: ChildProcess = fork(fileURLToPath(new URL("./producerProcess.ts", import.meta.url)), {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BENCH_PRODUCER_MEMBERS: String(members) },
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let onDone: ((m: Extract<ProducerMessage, { t: "done" }>) => void) | null = null;
  const ready = new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`bench producer exited (${code})`)));
    child.on("message", (m: ProducerMessage) => {
      if (m.t === "ready") resolve();
      else if (m.t === "done") onDone?.(m);
      else {
        const topic = logsTopic(m.guildId);
        for (const raw of m.entries) {
          const logged = gateway.context.events.append(topic, (seq) => ({
            guild_id: m.guildId,
            seq,
            ...(JSON.parse(raw) as Omit<LogOtherPayload, "guild_id" | "seq">),
          }));
          void broker.publish(topic, logged.payload);
        }
      }
    });
  });
  await ready;
  return {
    produce(guildId, rate, seconds) {
      const topic = logsTopic(guildId);
      const from = gateway.context.events.latest(topic) + 1;
      return new Promise((resolve) => {
        onDone = (m) => {
          onDone = null;
          resolve({
            from,
            to: gateway.context.events.latest(topic),
            achievedRate: m.published / m.seconds,
            producerCpu: m.cpuMs / 1000 / m.seconds,
          });
        };
        child.send({ t: "run", guildId, rate, seconds } satisfies ProducerCommand);
      });
    },
    stop: () => void child.kill(),
  };
}
