/** Runtime validators of every inbound payload, shared by the gateway and the worker. */
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
export { clientPayloadSchemas, MOCK_GUILD_LIMIT, MAX_INTERPRET_CONTENT } from "./clientPayloads";
export { serverPayloadSchemas } from "./serverPayloads";
export { tokenClaimsSchema } from "./tokenClaims";
export { parsePayload, requestIdOf, MAX_PAYLOAD_BYTES } from "./parsePayload";
export type { ParseResult } from "./parsePayload";
