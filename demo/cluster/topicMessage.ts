import * as v from "valibot";
import { serverPayloadSchemas } from "../../src/schema";
import { parseTopic } from "../gateway/broker";
import type { TopicEvent } from "../gateway/topicEvent";

/** A broker message a node refuses: not JSON, not of its topic's shape, or of another guild. */
export class BadTopicMessageError extends Error {
  override readonly name = "BadTopicMessageError";
}

/**
 * Decodes a message of `topic` (`<guild_id>`: a `log_pool`; `<guild_id>_logs`: a log entry;
 * `<guild_id>_presence`: a `log_presence`)
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
  const { kind, guildId } = parseTopic(topic);
  const schema: v.GenericSchema<unknown, TopicEvent> =
    kind === "logs"
      ? serverPayloadSchemas.log_other
      : kind === "presence"
        ? serverPayloadSchemas.log_presence
        : serverPayloadSchemas.log_pool;
  const result = v.safeParse(schema, json);
  if (!result.success) {
    const issue = result.issues[0];
    const path = issue?.path?.map((p) => String(p.key)).join(".") ?? "";
    throw new BadTopicMessageError(
      `${topic}: a malformed message (${path || "payload"}: ${issue?.message ?? "?"})`,
    );
  }
  if (result.output.guild_id !== guildId)
    throw new BadTopicMessageError(`${topic}: a message of guild ${result.output.guild_id}`);
  return json as TopicEvent;
}
