/**
 * Runtime validators of every inbound payload, shared by the gateway and the worker
 * (subpath `@architus/gateway-connection/schema`).
 */
import * as z from "zod/mini";

// zod/mini registers no locale (every default message would read "Invalid input"): servers and
// tests that import this entry get the English messages classic zod has. The worker imports the
// schema modules one by one and goes without them (≈1 kB less to download); its reports keep
// each issue's path and the custom messages written here.
z.config(z.locales.en());

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
