import type { Snowflake } from "../../../src/protocol";
import { SNOWFLAKE } from "../../../src/schema";
import { InterpretInputError } from "./InterpretInputError";

/** The largest id that still fits in 20 digits. */
const MAX_ID = 10n ** 20n - 1n;

/**
 * Parses a mock message id (a string of 1–20 digits) into a BigInt, never a Number:
 * snowflakes exceed 2^53. `field` names the payload field in the error message.
 * @throws {InterpretInputError} when `id` is not a digit string.
 */
export function parseMessageId(id: Snowflake, field: string): bigint {
  if (!SNOWFLAKE.test(id)) {
    throw new InterpretInputError(`${field} must be a string of 1–20 digits, got ${JSON.stringify(id)}`);
  }
  return BigInt(id);
}

/** Whether a parsed mock message id belongs to the bot (bot messages are odd, user messages even). */
export function isBotMessageId(id: bigint): boolean {
  return id % 2n === 1n;
}

/**
 * The id of the bot's `index`-th reply (0-based) to the user message `messageId`:
 * `messageId + 1`, `+ 3`, `+ 5`… as a canonical digit string (no leading zeros).
 * @throws {InterpretInputError} when the reply id would not fit in 20 digits.
 */
export function botReplyId(messageId: bigint, index: number): Snowflake {
  const id = messageId + 1n + 2n * BigInt(index);
  if (id > MAX_ID) {
    throw new InterpretInputError(
      `message_id ${messageId} is too large: the bot's reply id would exceed 20 digits`,
    );
  }
  return id.toString();
}
