import type { AutoResponse } from "../../../src/protocol";
import { matchesAutoResponse } from "./matchesAutoResponse";
import { renderAutoResponse } from "./renderAutoResponse";

/** At most this many auto responses answer one message. */
export const MAX_AUTO_RESPONSES_PER_MESSAGE = 3;

/**
 * The replies the auto responses give to a (non-command) message: every matching
 * auto response, in the given order, renders its `response`, up to three. Responses
 * that render to blank text are skipped (Discord cannot send an empty message).
 */
export function autoRespond(content: string, autoResponses: readonly AutoResponse[]): string[] {
  const replies: string[] = [];
  for (const autoResponse of autoResponses) {
    if (replies.length >= MAX_AUTO_RESPONSES_PER_MESSAGE) break;
    if (!matchesAutoResponse(autoResponse, content)) continue;
    const reply = renderAutoResponse(autoResponse.response, autoResponse.count);
    if (reply.trim().length > 0) replies.push(reply);
  }
  return replies;
}
