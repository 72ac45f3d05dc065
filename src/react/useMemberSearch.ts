import type { Member } from "../protocol";
import type { SearchSnapshot } from "../client/connectGateway";
import { useGateway } from "./GatewayProvider";
import { latest, useObservableStore } from "./observableStore";

/**
 * Members of `guildId` matching `query` (fuzzy, best first, at most `limit`): null until the
 * first answer, and while `guildId` is null. A new query searches again; failures are snapshots.
 */
export function useMemberSearch(
  guildId: string | null,
  query: string,
  options: { limit?: number } = {},
): SearchSnapshot<Member> | null {
  const client = useGateway();
  const { limit } = options;
  return useObservableStore(
    () =>
      guildId === null
        ? null
        : client.pool("member", { guildId }).search$(query, limit !== undefined ? { limit } : {}),
    null,
    latest<SearchSnapshot<Member>>,
    [client, guildId, query, limit],
  ).value;
}
