/** Version of the gateway wire protocol (shared/PROTOCOL.md) this module describes. */
export const PROTOCOL_VERSION = 1;
