import { textReply } from "./Command";
import type { Command } from "./Command";

/** `!ping`: answers "pong" (arguments are ignored). */
export const pingCommand: Command = {
  name: "ping",
  usage: "!ping",
  description: "check that the bot is awake",
  run: () => textReply("pong"),
};
