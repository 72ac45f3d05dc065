/** The front-page Discord mock bot behind the gateway's `interpret` event. */
export { interpret, MAX_CONTENT_LENGTH } from "./interpret";
export { InterpretInputError } from "./InterpretInputError";
export { MOCK_AUTO_RESPONSES, MOCK_GUILD_LIMIT, isMockGuildId } from "./mockGuild";
