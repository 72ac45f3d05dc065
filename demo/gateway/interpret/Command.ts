/** What a command answers: one bot message, then the bot's reactions to that message. */
export interface CommandReply {
  content: string;
  /** Emojis the bot adds to its own reply, in order (e.g. the options of a poll). */
  reactions: readonly string[];
}

/** What a command gets to work with. */
export interface CommandContext {
  /** The text after the command name, trimmed ("" when none). */
  args: string;
  /** The user message's id (canonical digit string): the seed of anything random. */
  messageId: string;
  /** The commands enabled here, in listing order (for `!help`). */
  available: readonly Command[];
}

/** A mock bot command, such as `!ping`. */
export interface Command {
  /** Lower-case name without the prefix. */
  name: string;
  /** How to call it, e.g. "!roll [NdM]". */
  usage: string;
  /** One line for `!help`. */
  description: string;
  run(context: CommandContext): CommandReply;
}

/** A reply without reactions. */
export function textReply(content: string): CommandReply {
  return { content, reactions: [] };
}

/** The reply to a malformed call: "Usage: `!roll [NdM]`", plus an optional hint. */
export function usageReply(command: Pick<Command, "usage">, hint?: string): CommandReply {
  return textReply(`Usage: \`${command.usage}\`${hint === undefined ? "" : ` (${hint})`}`);
}
