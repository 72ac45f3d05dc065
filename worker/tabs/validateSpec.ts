import { POOL_TYPES, type PoolType } from "../../src/protocol";
import { SETTING_KEY, SNOWFLAKE } from "../../src/schema/common";
import { GatewayError, type SubscriptionSpec } from "../../src/shared";
import { isGuildScoped } from "../pools/pools";

const MAX_IDS = 10_000;

const bad = (message: string) => new GatewayError("bad_input", message);

/** Checks a subscription asked for by a page (anything may arrive over postMessage). */
export function validateSpec(spec: unknown): SubscriptionSpec {
  if (typeof spec !== "object" || spec === null) throw bad("subscription spec must be an object");
  const s = spec as Record<string, unknown>;
  switch (s.kind) {
    case "connection":
    case "session":
    case "spectating":
    case "diagnostics":
      return { kind: s.kind };
    case "pool": {
      if (!(POOL_TYPES as readonly string[]).includes(s.type as string))
        throw bad(`unknown pool type ${String(s.type)}`);
      const type = s.type as PoolType;
      const guildId = s.guildId ?? null;
      if (isGuildScoped(type) && (typeof guildId !== "string" || !SNOWFLAKE.test(guildId)))
        throw bad(`pool "${type}" needs a guildId (a snowflake string)`);
      if (!isGuildScoped(type) && guildId !== null)
        throw bad(`pool "${type}" is not guild-specific: no guildId`);
      if (s.view !== undefined) {
        if (s.view !== "online" || type !== "member" || s.ids !== "all")
          throw bad('view must be "online", of a whole member pool');
        return { kind: "pool", type, guildId: guildId as string, ids: "all", view: "online" };
      }
      if (s.ids === "all") {
        if (type === "user") throw bad('pool "user" cannot be loaded whole; ask for ids');
        return { kind: "pool", type, guildId: guildId as string | null, ids: "all" };
      }
      if (!Array.isArray(s.ids) || s.ids.length > MAX_IDS)
        throw bad(`ids must be an array of at most ${MAX_IDS}`);
      const pattern = type === "settingValue" ? SETTING_KEY : SNOWFLAKE;
      for (const id of s.ids)
        if (typeof id !== "string" || !pattern.test(id)) throw bad(`invalid id ${String(id)}`);
      return { kind: "pool", type, guildId: guildId as string | null, ids: s.ids as string[] };
    }
    case "search": {
      if (typeof s.guildId !== "string" || !SNOWFLAKE.test(s.guildId)) throw bad("search needs a guildId");
      if (typeof s.query !== "string" || s.query.length > 100)
        throw bad("query must be a string of ≤ 100 characters");
      const limit = s.limit ?? 20;
      if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > 100)
        throw bad("limit must be an integer from 1 to 100");
      return { kind: "search", guildId: s.guildId, query: s.query, limit };
    }
    case "logs":
      if (typeof s.guildId !== "string" || !SNOWFLAKE.test(s.guildId)) throw bad("logs needs a guildId");
      if (s.since === undefined) return { kind: "logs", guildId: s.guildId };
      if (!Number.isSafeInteger(s.since) || (s.since as number) < 0)
        throw bad("since must be a non-negative integer (a seq)");
      return { kind: "logs", guildId: s.guildId, since: s.since as number };
    default:
      throw bad(`unknown subscription kind ${String(s.kind)}`);
  }
}
