import { textReply, usageReply } from "./Command";
import type { Command } from "./Command";

/** `!echo <text>`: repeats the text (trimmed); without text, a usage message. */
export const echoCommand: Command = {
  name: "echo",
  usage: "!echo <text>",
  description: "repeat the text back",
  run: ({ args }) => (args.length === 0 ? usageReply(echoCommand) : textReply(args)),
};
