import { textReply } from "./Command";
import type { Command, CommandReply } from "./Command";
import { echoCommand } from "./echoCommand";
import { eightBallCommand } from "./eightBallCommand";
import { helpCommand } from "./helpCommand";
import type { ParsedCommand } from "./parseCommand";
import { pingCommand } from "./pingCommand";
import { pollCommand } from "./pollCommand";
import { rollCommand } from "./rollCommand";

/** Every command of the mock bot, in `!help` order. */
export const COMMANDS: readonly Command[] = Object.freeze([
  helpCommand,
  pingCommand,
  echoCommand,
  rollCommand,
  eightBallCommand,
  pollCommand,
]);

/** A command name safe to quote in inline code: no backticks, at most 32 characters. */
function quotable(name: string): string {
  const clean = name.replace(/`/g, "");
  return clean.length > 32 ? `${clean.slice(0, 31)}…` : clean;
}

/**
 * Runs a parsed command.
 * - Unknown name: "Unknown command `!x`." (plus a `!help` hint when `!help` is enabled).
 * - Known but not in `allowedCommands` (when given; compared case-insensitively):
 *   "`!x` is not enabled here" and nothing else.
 * - Otherwise the command's own reply; `!help` lists only the enabled commands.
 */
export function runCommand(
  command: ParsedCommand,
  messageId: string,
  allowedCommands?: readonly string[],
): CommandReply {
  const allowed = allowedCommands && new Set(allowedCommands.map((name) => name.trim().toLowerCase()));
  const available = allowed ? COMMANDS.filter((c) => allowed.has(c.name)) : COMMANDS;
  const found = COMMANDS.find((c) => c.name === command.name);
  if (found === undefined) {
    const hint = available.includes(helpCommand) ? " Type `!help` to see the available commands." : "";
    return textReply(`Unknown command \`!${quotable(command.name)}\`.${hint}`);
  }
  if (!available.includes(found)) return textReply(`\`!${found.name}\` is not enabled here`);
  return found.run({ args: command.args, messageId, available });
}
