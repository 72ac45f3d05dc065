import type { AutoResponse } from "../../../src/protocol";

/** Mock guild ids (the front-page Discord mock) are numeric strings below this. */
export const MOCK_GUILD_LIMIT = 10_000_000;

/** Whether a guild id names a front-page mock guild: digits, value below {@link MOCK_GUILD_LIMIT}. */
export function isMockGuildId(guildId: string): boolean {
  return /^[0-9]{1,20}$/.test(guildId) && BigInt(guildId) < BigInt(MOCK_GUILD_LIMIT);
}

const autoResponse = (
  id: string,
  trigger: string,
  mode: AutoResponse["mode"],
  response: string,
): Readonly<AutoResponse> => Object.freeze({ id, trigger, response, author_id: null, mode, count: 0 });

/** The auto responses every mock guild starts with, in match order. */
export const MOCK_AUTO_RESPONSES: readonly AutoResponse[] = Object.freeze([
  autoResponse("100000000000000001", "hello", "naive", "hi there, [author]!"),
  autoResponse("100000000000000002", "good bot", "punctuated", "thank you :)"),
  autoResponse("100000000000000003", "^f+$", "regex", "f"),
  autoResponse("100000000000000004", "architus", "naive", "that's me!"),
  autoResponse("100000000000000005", "bad bot", "punctuated", "sorry :( that's [count] times now"),
]);
