import type { InterpretAction, MockReaction } from "../../../src/protocol";
import { isBotMessageId, parseMessageId } from "./messageIds";

/** What the bot adds to a user message that someone reacted to. */
export const SEEN_EMOJI = "👀";

/**
 * The bot's answer to reactions, in payload order (added first, then removed):
 * - added on a bot message (odd id): the bot adds the same reaction (`react`);
 * - added on a user message (even id): the bot reacts `👀`, once per distinct message;
 * - removed from a bot message: the bot removes its own same reaction (`unreact`);
 * - removed from a user message: nothing.
 *
 * Repeated entries are answered once (reacting twice with one emoji is a no-op in
 * Discord). Message ids come back canonical (no leading zeros).
 * @throws {InterpretInputError} when a reaction's `message_id` is not a digit string.
 */
export function reactToReactions(
  added: readonly MockReaction[],
  removed: readonly MockReaction[],
): InterpretAction[] {
  const actions: InterpretAction[] = [];
  const done = new Set<string>();
  const once = (key: string, action: InterpretAction): void => {
    if (done.has(key)) return;
    done.add(key);
    actions.push(action);
  };

  added.forEach((reaction, i) => {
    const id = parseMessageId(reaction.message_id, `added_reactions[${i}].message_id`);
    const message_id = id.toString();
    if (isBotMessageId(id)) {
      once(`react:${message_id}:${reaction.emoji}`, { action: 3100, message_id, emoji: reaction.emoji });
    } else {
      once(`seen:${message_id}`, { action: 3100, message_id, emoji: SEEN_EMOJI });
    }
  });

  removed.forEach((reaction, i) => {
    const id = parseMessageId(reaction.message_id, `removed_reactions[${i}].message_id`);
    if (!isBotMessageId(id)) return;
    const message_id = id.toString();
    once(`unreact:${message_id}:${reaction.emoji}`, { action: 3101, message_id, emoji: reaction.emoji });
  });

  return actions;
}
