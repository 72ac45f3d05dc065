/**
 * `@architus/gateway-connection/devtools/react`: the devtools panel as a React component. Apart
 * from `./devtools` so that apps without React can use the panel.
 */
export { GatewayDevtools, type GatewayDevtoolsProps } from "./GatewayDevtools";
