/** The gateway uses the shared injectable clock. */
export { systemClock } from "../../src/shared/clock";
export type { Cancel, Clock } from "../../src/shared/clock";
