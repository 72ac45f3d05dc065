/**
 * Runtime validators of every inbound payload, shared by the gateway and the worker
 * (subpath `@architus/gateway-connection/schema`).
 */
// valibot builds an English default message into every issue ("Invalid type: Expected string
// but received 5"): no locale to register, the worker (which imports the schema modules one by
// one) and the servers report the same messages.

export {
  SNOWFLAKE,
  SETTING_KEY,
  snowflake,
  requestId,
  seq,
  token,
  poolType,
  guildPoolType,
  agnosticPoolType,
} from "./common";
export { entitySchemas, logActionSchema } from "./entities";
export { clientPayloadSchemas } from "./clientPayloads";
export { interpretSchema, MOCK_GUILD_LIMIT, MAX_INTERPRET_CONTENT } from "./interpret";
export { serverPayloadSchemas } from "./serverPayloads";
export { tokenClaimsSchema } from "./tokenClaims";
export { parsePayload, requestIdOf, MAX_PAYLOAD_BYTES } from "./parsePayload";
export type { ParseResult } from "./parsePayload";
