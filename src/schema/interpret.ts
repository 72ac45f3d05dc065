import * as z from "zod/mini";
import { SNOWFLAKE, requestId, snowflake } from "./common";

/** Mock guilds of the front-page bot have ids below this. */
export const MOCK_GUILD_LIMIT = 10_000_000;
/** Longest message the mock bot interprets. */
export const MAX_INTERPRET_CONTENT = 2000;

// Refinements run even when the regex already failed: guard before BigInt().
const isDigits = (id: string) => SNOWFLAKE.test(id);

const mockReaction = z.object({
  message_id: snowflake,
  emoji: z.string().check(z.minLength(1), z.maxLength(64)),
});

/**
 * The `interpret` payload (the front-page bot mock). Its own module: the worker checks a page's
 * interpret call with it and needs none of the other client payload schemas.
 */
export const interpretSchema = z.object({
  _id: requestId,
  guild_id: snowflake.check(
    z.refine((id) => isDigits(id) && BigInt(id) < BigInt(MOCK_GUILD_LIMIT), {
      message: `mock guild ids are below ${MOCK_GUILD_LIMIT}`,
    }),
  ),
  message_id: snowflake.check(
    z.refine((id) => isDigits(id) && BigInt(id) % 2n === 0n, {
      message: "user message ids are even",
    }),
  ),
  content: z.string().check(z.maxLength(MAX_INTERPRET_CONTENT)),
  added_reactions: z.optional(z.array(mockReaction).check(z.maxLength(100))),
  removed_reactions: z.optional(z.array(mockReaction).check(z.maxLength(100))),
  allowed_commands: z.optional(
    z.array(z.string().check(z.minLength(1), z.maxLength(32))).check(z.maxLength(100)),
  ),
});
