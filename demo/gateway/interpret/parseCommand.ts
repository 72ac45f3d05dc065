/** The command prefix of the mock bot. */
export const COMMAND_PREFIX = "!";

/** A command call: `!Roll 2d6` is `{ name: "roll", args: "2d6" }`. */
export interface ParsedCommand {
  /** Lower-cased (command names are case-insensitive), without the prefix. */
  name: string;
  /** The rest of the message after the name and its whitespace, trimmed. */
  args: string;
}

/** `!` then a name that starts with a letter or digit and runs to the next whitespace. */
const COMMAND = /^!([\p{L}\p{N}]\S*)(?:\s+([\s\S]*))?$/u;

/**
 * Parses a message as a command, or `null` when it is not one (no `!` prefix, or a
 * prefix not followed by a name: "!", "! hi" and "!!!" are ordinary messages).
 */
export function parseCommand(content: string): ParsedCommand | null {
  const match = COMMAND.exec(content.trim());
  const name = match?.[1];
  if (name === undefined) return null;
  return { name: name.toLowerCase(), args: (match?.[2] ?? "").trim() };
}
