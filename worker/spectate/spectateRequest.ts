import type { SpectateReturnPayload } from "../../src/protocol";
import type { Requests } from "../gateway/requests";
import type { AskedSeqs } from "./guildSeqs";
import type { Target } from "./spectateMachine";

/**
 * Sends one `spectate` of `target`, asking `since` what is held. `answered` runs in the answer
 * frame's own task (replayed frames right behind it must find it applied); an answer that is no
 * success, or for another guild than asked, fails the request `bad_frame` and changes nothing.
 */
export function spectateRequest(
  requests: Requests,
  target: Target,
  asked: AskedSeqs,
  presenceSince: number | undefined,
  batchMs: number,
  answered: (answer: SpectateReturnPayload) => void,
): Promise<SpectateReturnPayload> {
  const { known, logsFrom } = asked;
  const since =
    known || logsFrom !== undefined || presenceSince !== undefined
      ? {
          since: {
            ...(known ? { pool: known.pool } : {}),
            ...(logsFrom !== undefined ? { logs: logsFrom } : {}),
            ...(presenceSince !== undefined ? { presence: presenceSince } : {}),
          },
        }
      : {};
  return requests.send<"spectate", SpectateReturnPayload>({
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
      ...since,
    }),
    collect: (event, payload) => {
      if (event !== "spectate_return") return { done: false };
      const answer = payload as SpectateReturnPayload;
      if (!answer.success || answer.guild_id !== target.guildId)
        throw new Error(`no success for guild ${target.guildId}`);
      answered(answer);
      return { done: true, value: answer };
    },
  });
}
