import { GUILD_POOL_TYPES, type PoolType } from "../../src/protocol";

const GUILD_SCOPED = new Set<PoolType>(GUILD_POOL_TYPES);

/** Whether pools of `type` belong to one guild (their requests need `guild_id`). */
export const isGuildScoped = (type: PoolType): boolean => GUILD_SCOPED.has(type);
