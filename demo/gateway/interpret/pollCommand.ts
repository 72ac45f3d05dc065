import { usageReply } from "./Command";
import type { Command } from "./Command";

/** The reactions of poll options 1–9 (keycap digits). */
export const POLL_EMOJIS: readonly string[] = Object.freeze(
  ["1", "2", "3", "4", "5", "6", "7", "8", "9"].map((digit) => `${digit}\uFE0F\u20E3`),
);

/** A poll has 2–9 options. */
export const POLL_LIMITS = { minOptions: 2, maxOptions: POLL_EMOJIS.length } as const;

/**
 * `!poll <question> | opt1 | opt2 …`: the bot posts the question and numbered options,
 * then reacts to its own message with 1️⃣ 2️⃣ … one per option. Blank options (such as
 * after a trailing `|`) are ignored; 2–9 options must remain.
 */
export const pollCommand: Command = {
  name: "poll",
  usage: "!poll <question> | option 1 | option 2 …",
  description: "start a poll with 2–9 options",
  run: ({ args }) => {
    const [question = "", ...rest] = args.split("|").map((part) => part.trim());
    const options = rest.filter((option) => option.length > 0);
    const { minOptions, maxOptions } = POLL_LIMITS;
    if (question.length === 0 || options.length < minOptions || options.length > maxOptions) {
      return usageReply(pollCommand, `${minOptions}–${maxOptions} options`);
    }
    const reactions = POLL_EMOJIS.slice(0, options.length);
    const lines = options.map((option, i) => `${reactions[i] ?? ""} ${option}`);
    return { content: [`📊 **${question}**`, ...lines].join("\n"), reactions };
  },
};
