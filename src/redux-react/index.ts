/**
 * React-Redux glue of the Redux binding (subpath `@architus/gateway-connection/redux-react`):
 * hooks that hold a spec while a component is mounted. Needs react-redux 7.1 or later.
 */
export { useGatewaySubscription } from "./useGatewaySubscription";
export { useGatewayPool } from "./useGatewayPool";
export { useGatewayLogs } from "./useGatewayLogs";
