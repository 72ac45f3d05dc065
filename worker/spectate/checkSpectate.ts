import { SNOWFLAKE } from "../../src/schema/common";
import { GatewayError } from "../../src/shared";

/** A tab's `spectate(guildId, options)`, checked: a snowflake or null, and whether logs come too. */
export function checkSpectate(
  guildId: unknown,
  options: { includeLogs?: unknown } | undefined,
): { guildId: string | null; includeLogs: boolean } {
  if (guildId !== null && (typeof guildId !== "string" || !SNOWFLAKE.test(guildId)))
    throw new GatewayError("bad_input", "guildId must be a snowflake string or null");
  const includeLogs = options?.includeLogs ?? true;
  if (typeof includeLogs !== "boolean") throw new GatewayError("bad_input", "includeLogs must be a boolean");
  return { guildId, includeLogs };
}
