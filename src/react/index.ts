/** React binding (subpath `@architus/gateway-connection/react`): a provider and hooks on `useSyncExternalStore`. */
export { GatewayProvider, useGateway } from "./GatewayProvider";
export { useObservable } from "./observableStore";
export type { StoreSnapshot } from "./observableStore";
export { useConnection, useSession, useSpectating } from "./useClientState";
export { usePool, useEntity } from "./usePool";
export { useMemberSearch } from "./useMemberSearch";
export { useLogs } from "./useLogs";
export type { LogWindow } from "./useLogs";
