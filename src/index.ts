/**
 * Page-side entry of the library: the client that connects a tab to the shared worker, and the
 * wire protocol's types and constants. The validators live in the worker (and, for servers and
 * tests, at `@architus/gateway-connection/schema`), so they never weigh on a page.
 */
export { connectGateway } from "./client/connectGateway";
export type {
  ConnectOptions,
  GatewayClient,
  PoolHandle,
  SearchSnapshot,
  EntitySnapshot,
} from "./client/connectGateway";
export type { PoolSnapshot, PoolChanges } from "./client/poolSnapshot";
export type { WorkerFactory } from "./client/openWorker";
export { GatewayError, WORKER_NAME, BUILD_ID } from "./shared";
export type {
  ErrorCode,
  ClientErrorCode,
  ConnectionState,
  ConnectionStatus,
  SessionState,
  SpectatingState,
  Diagnostics,
  DevtoolsAction,
  PoolDiagnostics,
  PoolSource,
  PoolStatus,
  TabDiagnostics,
  Transition,
  GatewayMode,
  LogEntry,
  LogBatch,
  LogGap,
  InterpretMessage,
} from "./shared";
export * from "./protocol";
