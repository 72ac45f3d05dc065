import { LogActionNumber, type AutoResponse } from "../../../src/protocol";
import { copyOf, makeLogAction, type ChangeContext } from "./changeContext";
import type { PoolEvent } from "./poolEvent";
import { randomKey } from "./randomKey";
import { AUTO_RESPONSE_MODES, AUTO_RESPONSE_REPLIES, AUTO_RESPONSE_SEEDS, MESSAGE_WORDS } from "./vocabulary";

/** A guild gets no more auto responses than this from the activity generator. */
export const MAX_AUTO_RESPONSES = 40;

const summary = (r: AutoResponse) => ({ trigger: r.trigger, response: r.response, mode: r.mode });

/** AUTO_RESPONSE_ADD (3200): a new auto response by the agent; null when the guild has too many. */
export function addAutoResponse(ctx: ChangeContext): PoolEvent | null {
  const pool = ctx.guild.pools.autoResponse;
  if (pool.size >= MAX_AUTO_RESPONSES) return null;
  const [seedTrigger, response, mode] = ctx.rng.pick(AUTO_RESPONSE_SEEDS);
  const taken = new Set([...pool.values()].map((r) => r.trigger));
  let trigger = seedTrigger;
  for (let n = 2; taken.has(trigger); n++) {
    trigger = n < 20 ? `${seedTrigger} ${ctx.rng.pick(MESSAGE_WORDS)}` : `${seedTrigger} ${n}`;
  }
  const entity: AutoResponse = {
    id: ctx.rng.snowflake(),
    trigger,
    response,
    author_id: ctx.agentId,
    mode,
    count: 0,
  };
  pool.set(entity.id, entity);
  const action = makeLogAction(ctx, {
    action_number: LogActionNumber.AUTO_RESPONSE_ADD,
    subject_id: entity.id,
    private: false,
    reversible: true,
    old_data: null,
    data: summary(entity),
  });
  return { action, updates: [{ type: "autoResponse", op: "add", id: entity.id, entity: copyOf(entity) }] };
}

/** AUTO_RESPONSE_EDIT (3202): a new response (sometimes mode); null when there is none. */
export function editAutoResponse(ctx: ChangeContext): PoolEvent | null {
  const pool = ctx.guild.pools.autoResponse;
  const id = randomKey(pool, ctx.rng);
  const old = id === undefined ? undefined : pool.get(id);
  if (old === undefined) return null;
  const replies = AUTO_RESPONSE_REPLIES.filter((r) => r !== old.response);
  const mode = ctx.rng.chance(0.2) ? ctx.rng.pick(AUTO_RESPONSE_MODES) : old.mode;
  const entity: AutoResponse = { ...old, response: ctx.rng.pick(replies), mode };
  pool.set(entity.id, entity);
  const action = makeLogAction(ctx, {
    action_number: LogActionNumber.AUTO_RESPONSE_EDIT,
    subject_id: entity.id,
    private: false,
    reversible: true,
    old_data: summary(old),
    data: summary(entity),
  });
  return { action, updates: [{ type: "autoResponse", op: "update", id: entity.id, entity: copyOf(entity) }] };
}

/** AUTO_RESPONSE_REMOVE (3201): deletes one; null when there is none. */
export function removeAutoResponse(ctx: ChangeContext): PoolEvent | null {
  const pool = ctx.guild.pools.autoResponse;
  const id = randomKey(pool, ctx.rng);
  const old = id === undefined ? undefined : pool.get(id);
  if (old === undefined) return null;
  pool.delete(old.id);
  const action = makeLogAction(ctx, {
    action_number: LogActionNumber.AUTO_RESPONSE_REMOVE,
    subject_id: old.id,
    private: false,
    reversible: true,
    old_data: summary(old),
    data: null,
  });
  return { action, updates: [{ type: "autoResponse", op: "remove", id: old.id }] };
}
