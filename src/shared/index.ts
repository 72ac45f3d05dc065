export { GatewayError } from "./GatewayError";
export type { ErrorCode, ClientErrorCode, ErrorInfo } from "./GatewayError";
export {
  DEFAULT_CACHE_SETTINGS,
  LATENCIES_KEPT,
  TAB_PROTOCOL_VERSION,
  TOKEN_ITEM,
  TRANSITIONS_KEPT,
} from "./tabProtocol";
export type * from "./tabProtocol";
export { systemClock } from "./clock";
export type { Clock, Cancel } from "./clock";
export { BUILD_ID, WORKER_NAME } from "./buildInfo";
export { leaderBase, leaderLockName, tabChannelName } from "./channelProtocol";
export type { ControlMessage, TabChannelMessage } from "./channelProtocol";
