import type { Snowflake } from "./ids";

/** Claims of the HS256 JWT shared by the gateway and the REST API. */
export interface TokenClaims {
  /** user id */
  sub: Snowflake;
  /** seconds since epoch */
  iat: number;
  /** seconds since epoch */
  exp: number;
  /** Architus permission bitfield that applies in every guild. */
  permissions: number;
  /** Each guild the user belongs to → that guild's architus permission bitfield. */
  guilds: Record<Snowflake, number>;
  /** Architus staff: global administrator. */
  admin?: boolean;
}
