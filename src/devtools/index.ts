/**
 * `@architus/gateway-connection/devtools`: a panel of what the connection is doing, for any app
 * (framework-free). Not part of the page entry: an app that does not import it pays nothing.
 */
export { mountDevtools, type DevtoolsClient, type DevtoolsOptions } from "./mountDevtools";
export { exportSnapshot, type PanelState, type RateSample, type Trouble } from "./panelModel";
export type { BrowseState } from "./poolBrowser";
