import { textReply } from "./Command";
import type { Command } from "./Command";

/** `!help`: lists the commands enabled here, one line each. */
export const helpCommand: Command = {
  name: "help",
  usage: "!help",
  description: "list the available commands",
  run: ({ available }) =>
    textReply(
      ["**Available commands**", ...available.map((c) => `\`${c.usage}\` — ${c.description}`)].join("\n"),
    ),
};
