import * as v from "valibot";
import { SNOWFLAKE, requestId, snowflake } from "./common";

/** Mock guilds of the front-page bot have ids below this. */
export const MOCK_GUILD_LIMIT = 10_000_000;
/** Longest message the mock bot interprets. */
export const MAX_INTERPRET_CONTENT = 2000;

// Checks run even when the regex already failed: guard before BigInt().
const isDigits = (id: string) => SNOWFLAKE.test(id);

const mockReaction = v.object({
  message_id: snowflake,
  emoji: v.pipe(v.string(), v.minLength(1), v.maxCodePoints(64)),
});

const reactions = v.optional(v.pipe(v.array(mockReaction), v.maxLength(100)));

/**
 * The `interpret` payload (the front-page bot mock). Its own module: the worker checks a page's
 * interpret call with it and needs none of the other client payload schemas.
 */
export const interpretSchema = v.object({
  _id: requestId,
  guild_id: v.pipe(
    snowflake,
    v.check(
      (id) => isDigits(id) && BigInt(id) < BigInt(MOCK_GUILD_LIMIT),
      `mock guild ids are below ${MOCK_GUILD_LIMIT}`,
    ),
  ),
  message_id: v.pipe(
    snowflake,
    v.check((id) => isDigits(id) && BigInt(id) % 2n === 0n, "user message ids are even"),
  ),
  content: v.pipe(v.string(), v.maxCodePoints(MAX_INTERPRET_CONTENT)),
  added_reactions: reactions,
  removed_reactions: reactions,
  allowed_commands: v.optional(
    v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxCodePoints(32))), v.maxLength(100)),
  ),
});
