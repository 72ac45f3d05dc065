/**
 * A Discord snowflake or architus "hoar frost": a string of 1–20 digits.
 * JavaScript numbers cannot hold them, so ids are always strings.
 */
export type Snowflake = string;

/** Client-chosen request id: a positive integer, unique per socket connection. */
export type RequestId = number;

/** Per-guild, per-topic event sequence number (strictly increasing by 1, first event is 1). */
export type Seq = number;
