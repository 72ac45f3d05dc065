/**
 * Redux binding (subpath `@architus/gateway-connection/redux`): a reducer and a middleware that
 * mirror a gateway client's streams into a store. No React, no rxjs at runtime.
 */
export { createGatewayRedux } from "./createGatewayRedux";
export type { GatewayRedux, GatewayReduxOptions } from "./createGatewayRedux";
export { gatewayActions, GATEWAY_ACTION_TYPES } from "./gatewayActions";
export type {
  GatewayActions,
  StartAction,
  SubscribeAction,
  ReleaseAction,
  LoginCommand,
  LogoutCommand,
  SpectateCommand,
  SpectateArg,
  InterpretCommand,
  StreamsBatchAction,
  PoolLoad,
  LoginLifecycle,
  LogoutLifecycle,
  SpectateLifecycle,
  InterpretLifecycle,
  PoolLifecycle,
} from "./gatewayActions";
export type { GatewayDispatch } from "./gatewayMiddleware";
export type { GatewaySelectors } from "./gatewaySelectors";
export { EMPTY_POOL_SLICE, EMPTY_LOGS_SLICE, INITIAL_GATEWAY_STATE } from "./gatewayState";
export type { GatewayState, PoolSlice, PoolSliceStatus, LogsSlice } from "./gatewayState";
export type {
  PendingAction,
  FulfilledAction,
  RejectedAction,
  SettledAction,
  MatchableCreator,
  RequestLifecycle,
} from "./requestLifecycle";
export { DEFAULT_LOG_LIMIT, MAX_LOG_LIMIT, MAX_SPEC_IDS } from "./streamSpec";
export type {
  StreamSpec,
  PoolStreamSpec,
  LogsStreamSpec,
  NormalizedStreamSpec,
  NormalizedPoolSpec,
  NormalizedLogsSpec,
} from "./streamSpec";
export type { StreamUpdate, PoolPatch } from "./streamUpdate";
export type { ErrorInfo } from "../shared/GatewayError";
export type { PoolStatus, PoolSource } from "../shared/tabProtocol";
