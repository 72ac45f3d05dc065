import type { AutoResponse, InterpretAction, InterpretPayload } from "../../../src/protocol";
import { autoRespond } from "./autoRespond";
import type { CommandReply } from "./Command";
import { InterpretInputError } from "./InterpretInputError";
import { botReplyId, isBotMessageId, parseMessageId } from "./messageIds";
import { parseCommand } from "./parseCommand";
import { reactToReactions } from "./reactToReactions";
import { runCommand } from "./runCommand";

export { InterpretInputError } from "./InterpretInputError";
export { MOCK_AUTO_RESPONSES, MOCK_GUILD_LIMIT } from "./mockGuild";

/** Longest message content the mock accepts (Discord's limit), in UTF-16 code units. */
export const MAX_CONTENT_LENGTH = 2000;

/** The bot's replies to a message's content: a command's reply, or matching auto responses. */
function replyTo(
  input: InterpretPayload,
  messageId: string,
  autoResponses: readonly AutoResponse[],
): CommandReply[] {
  const content = input.content.trim();
  if (content.length === 0) return [];
  const command = parseCommand(content);
  if (command !== null) return [runCommand(command, messageId, input.allowed_commands)];
  return autoRespond(content, autoResponses).map((reply) => ({ content: reply, reactions: [] }));
}

/**
 * The front-page Discord mock bot: what it does in answer to one user message
 * (the `interpret` event; the caller echoes `_id` and `guild_id`). Pure and deterministic.
 *
 * First the reactions (see `reactToReactions`), then the content: a `!` command
 * (`!help`, `!ping`, `!echo`, `!roll`, `!8ball`, `!poll`, honouring `allowed_commands`)
 * or else up to three matching `autoResponses`. The bot's messages get odd ids:
 * `message_id + 1`, `+ 3`, `+ 5`…; a poll's reactions follow its message.
 *
 * @throws {InterpretInputError} when `message_id` is odd, an id is not a digit string,
 *   the content exceeds {@link MAX_CONTENT_LENGTH}, or a reply id would exceed 20 digits.
 */
export function interpret(
  input: InterpretPayload,
  autoResponses: readonly AutoResponse[],
): InterpretAction[] {
  const messageId = parseMessageId(input.message_id, "message_id");
  if (isBotMessageId(messageId)) {
    throw new InterpretInputError(
      `message_id must be even (user messages are even, bot messages odd), got ${input.message_id}`,
    );
  }
  if (input.content.length > MAX_CONTENT_LENGTH) {
    throw new InterpretInputError(
      `content is ${input.content.length} characters long; the limit is ${MAX_CONTENT_LENGTH}`,
    );
  }

  const actions = reactToReactions(input.added_reactions ?? [], input.removed_reactions ?? []);
  replyTo(input, messageId.toString(), autoResponses).forEach((reply, index) => {
    const message_id = botReplyId(messageId, index);
    actions.push({ action: 3001, message_id, content: reply.content });
    for (const emoji of reply.reactions) actions.push({ action: 3100, message_id, emoji });
  });
  return actions;
}
