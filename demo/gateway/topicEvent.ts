import type { LogOtherPayload, LogPoolPayload, LogPresencePayload } from "../../src/protocol";

/** An event retained for replay: a pool change, another log entry or a presence frame. */
export type TopicEvent = LogPoolPayload | LogOtherPayload | LogPresencePayload;
