import type { SpectateReturnPayload } from "../../src/protocol";
import { GatewayError } from "../../src/shared";
import type { RequestSpec } from "../gateway/requests";
import type { Since } from "./guildSeqs";
import type { Target } from "./target";

/**
 * The spectate request of a target, asking what came after `since`. `apply` takes the answer in
 * the frame's own task, so replayed frames right behind it find it done; an answer that is no
 * success, or for another guild than asked, changes nothing (it fails the request bad_frame;
 * applied, it would loop on re-sending).
 */
export function spectateRequest(
  target: Target,
  batchMs: number,
  since: Since,
  apply: (answer: SpectateReturnPayload) => void,
): RequestSpec<"spectate", SpectateReturnPayload> {
  const [known, logsFrom, presenceSince] = since;
  return {
    event: "spectate",
    needsAuth: true,
    retry: false,
    build: (_id, token) => ({
      _id,
      token: token ?? "",
      guild_id: target.guildId,
      include_logs: target.includeLogs,
      ...(batchMs > 0 ? { batch_ms: batchMs } : {}),
      ...(target.includePresence ? { include_presence: true } : {}),
      ...(known || logsFrom !== undefined || presenceSince !== undefined
        ? {
            since: {
              ...(known ? { pool: known.pool } : {}),
              ...(logsFrom !== undefined ? { logs: logsFrom } : {}),
              ...(presenceSince !== undefined ? { presence: presenceSince } : {}),
            },
          }
        : {}),
    }),
    collect: (event, payload) => {
      if (event !== "spectate_return") return { done: false };
      const answer = payload as SpectateReturnPayload;
      if (!answer.success || answer.guild_id !== target.guildId)
        throw new Error(`no success for guild ${target.guildId}`);
      apply(answer);
      return { done: true, value: payload as SpectateReturnPayload };
    },
  };
}

/** Whether a spectate failed for want of a login: the loop stops until the next elevation. */
export const loginLost = (error: unknown): boolean =>
  error instanceof GatewayError && (error.code === "not_authenticated" || error.code === "session_expired");
