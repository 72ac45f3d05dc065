import * as v from "valibot";
import { serverPayloadSchemas } from "../../src/schema";
import type { TopicEvent } from "../gateway/context";

/** A broker message a node refuses: not JSON, not of its topic's shape, or of another guild. */
export class BadTopicMessageError extends Error {
  override readonly name = "BadTopicMessageError";
}

/**
 * Decodes a message of `topic` (`<guild_id>`: a `log_pool`; `<guild_id>_logs`: a log entry)
 * with the protocol's own schemas; throws {@link BadTopicMessageError}. The value is the parsed
 * JSON as it is (fields the schema does not know, such as a private entry's, are kept).
 */
export function parseTopicMessage(topic: string, message: string): TopicEvent {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    throw new BadTopicMessageError(`${topic}: a message that is not JSON: ${message.slice(0, 80)}`);
  }
  const logs = topic.endsWith("_logs");
  const schema = logs ? serverPayloadSchemas.log_other : serverPayloadSchemas.log_pool;
  const result = v.safeParse(schema, json);
  if (!result.success) {
    const issue = result.issues[0];
    const path = issue?.path?.map((p) => String(p.key)).join(".") ?? "";
    throw new BadTopicMessageError(
      `${topic}: a malformed message (${path || "payload"}: ${issue?.message ?? "?"})`,
    );
  }
  const guildId = logs ? topic.slice(0, -"_logs".length) : topic;
  if (result.output.guild_id !== guildId)
    throw new BadTopicMessageError(`${topic}: a message of guild ${result.output.guild_id}`);
  return json as TopicEvent;
}
