import type { LogAction, Snowflake } from "../../../src/protocol";
import type { GuildRecord } from "./Dataset";
import type { Random } from "./random";

/** What every pool change maker works with. */
export interface ChangeContext {
  guild: GuildRecord;
  rng: Random;
  /** ms since epoch: the action's timestamp */
  now: number;
  /** The member who makes the change. */
  agentId: Snowflake;
}

/** The parts of a log action that differ between kinds of change. */
export interface ActionFields {
  action_number: number;
  subject_id: Snowflake | null;
  private: boolean;
  reversible: boolean;
  old_data: Record<string, unknown> | null;
  data: Record<string, unknown> | null;
}

/** A log action of `ctx.guild` by `ctx.agentId` at `ctx.now`, with a fresh id. */
export function makeLogAction(ctx: ChangeContext, fields: ActionFields): LogAction {
  return {
    id: ctx.rng.snowflake(),
    timestamp: ctx.now,
    guild_id: ctx.guild.id,
    agent_id: ctx.agentId,
    ...fields,
  };
}

/** A copy of a pool entity that shares nothing mutable with it. */
export function copyOf<T extends object>(entity: T): T {
  const copy = { ...entity };
  for (const [key, value] of Object.entries(copy)) {
    if (Array.isArray(value)) (copy as Record<string, unknown>)[key] = [...(value as unknown[])];
  }
  return copy;
}
