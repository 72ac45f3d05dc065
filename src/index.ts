/**
 * Page-side entry of the library: the client that connects a tab to the shared worker, the
 * wire protocol types and constants, and the runtime validators.
 */
export { connectGateway } from "./client/connectGateway";
export type {
  ConnectOptions,
  GatewayClient,
  PoolHandle,
  SearchSnapshot,
  EntitySnapshot,
} from "./client/connectGateway";
export type { PoolSnapshot } from "./client/poolSnapshot";
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
  LogEntry,
  InterpretMessage,
} from "./shared";
export * from "./protocol";
export * from "./schema";
