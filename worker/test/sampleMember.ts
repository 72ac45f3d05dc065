import type { Member } from "../../src/protocol";

/** A member entity for unit tests; `over` replaces fields (also with malformed values, on purpose). */
export const sampleMember = (id: string, over: object = {}): Member =>
  ({
    id,
    name: `m${id}`,
    nick: null,
    avatar: null,
    discriminator: "0001",
    roles: [],
    color: null,
    joined_at: "2026-01-01T00:00:00.000Z",
    ...over,
  }) as Member;
