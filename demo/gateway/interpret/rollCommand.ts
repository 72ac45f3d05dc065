import { textReply, usageReply } from "./Command";
import type { Command } from "./Command";
import { deterministicIndex } from "./deterministicIndex";

/** Dice per roll: 1–20. Sides per die: 2–1000. */
export const ROLL_LIMITS = { minDice: 1, maxDice: 20, minSides: 2, maxSides: 1000 } as const;

/** `NdM`, `dM` (one die); at most 3 and 4 digits so that the numbers stay small. */
const DICE = /^(\d{1,3})?d(\d{1,4})$/i;

/**
 * The dice of a roll, derived from the message id: die `i` of `NdM` is
 * `1 + hash("roll:<id>:<M>:<i>") mod M`. Same message, same dice.
 */
export function rollDice(messageId: string, dice: number, sides: number): number[] {
  return Array.from(
    { length: dice },
    (_, i) => 1 + deterministicIndex(`roll:${messageId}:${sides}:${i}`, sides),
  );
}

/** `!roll [NdM]`: rolls N dice with M sides (default 1d6) and shows each die and the total. */
export const rollCommand: Command = {
  name: "roll",
  usage: "!roll [NdM]",
  description: "roll N dice with M sides (default 1d6)",
  run: ({ args, messageId }) => {
    const match = DICE.exec(args.length === 0 ? "1d6" : args);
    const dice = Number(match?.[1] ?? "1");
    const sides = Number(match?.[2] ?? "0");
    const { minDice, maxDice, minSides, maxSides } = ROLL_LIMITS;
    if (match === null || dice < minDice || dice > maxDice || sides < minSides || sides > maxSides) {
      return usageReply(
        rollCommand,
        `N ${minDice}–${maxDice}, M ${minSides}–${maxSides}, e.g. \`!roll 2d6\``,
      );
    }
    const rolls = rollDice(messageId, dice, sides);
    const total = rolls.reduce((sum, n) => sum + n, 0);
    return textReply(`🎲 ${dice}d${sides}: ${rolls.join(", ")} (total ${total})`);
  },
};
