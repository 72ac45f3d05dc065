/**
 * The bench's log producer, in a process of its own (bench/producer.ts starts it): it makes
 * `message` entries of a guild from the same dataset as the gateway (same seed and size) and
 * sends them, serialised, to the bench's gateway process every 10 ms. Its CPU is its own.
 */
import { DATASET_EPOCH } from "../demo/gateway/createGateway";
import { generateDataset } from "../demo/gateway/dataset/generateDataset";
import { makeMessageEvent } from "../demo/gateway/dataset/poolActivity";
import { createRandom } from "../demo/gateway/dataset/random";
import { atRate } from "./atRate";

/** From the bench: make `rate` entries a second of `guildId` for `seconds`. */
export type ProducerCommand = { t: "run"; guildId: string; rate: number; seconds: number };
/** To the bench: entries (JSON without guild_id and seq), then the end of a run with its CPU. */
export type ProducerMessage =
  | { t: "ready" }
  | { t: "entries"; guildId: string; entries: string[] }
  | { t: "done"; published: number; seconds: number; cpuMs: number };

const send = (message: ProducerMessage) => process.send?.(message);
const members = Number(process.env.BENCH_PRODUCER_MEMBERS ?? 2000);
const dataset = generateDataset({ seed: 1, now: DATASET_EPOCH, bigGuildMembers: members });
const random = createRandom(0x9e37);

async function run({ guildId, rate, seconds }: ProducerCommand): Promise<void> {
  const cpu = process.cpuUsage();
  const made = await atRate(rate, seconds, (due) => {
    const entries: string[] = [];
    for (let i = 0; i < due; i++)
      entries.push(
        JSON.stringify(makeMessageEvent(dataset, guildId, random, Date.now(), { private: false })),
      );
    send({ t: "entries", guildId, entries });
  });
  const used = process.cpuUsage(cpu);
  send({
    t: "done",
    published: made.emitted,
    seconds: made.seconds,
    cpuMs: (used.user + used.system) / 1000,
  });
}

process.on("message", (command: ProducerCommand) => void run(command));
process.on("disconnect", () => process.exit(0));
send({ t: "ready" });
