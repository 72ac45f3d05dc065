import { WORKER_NAME } from "./buildInfo";
import type { DeliveryItem, HelloRequest, Result } from "./tabProtocol";

/**
 * Leader mode, where there is no SharedWorker: the tabs of an origin elect a leader (a Web
 * Lock), whose dedicated worker serves every tab, itself included, over BroadcastChannels. The
 * names carry the protocol versions and the gateway URL: a tab of an incompatible build, or of
 * another gateway, never joins this leader.
 */
export const leaderBase = (gatewayUrl: string): string => `${WORKER_NAME}|${gatewayUrl}`;
/** The Web Lock whose holder leads. */
export const leaderLockName = (base: string): string => `${base}|lead`;
/** One tab's channel with the leader's worker (exactly two ends: the tab and the worker). */
export const tabChannelName = (base: string, tabId: string): string => `${base}|tab|${tabId}`;

/** On the control channel (`base`): tabs say hello; a worker that starts leading announces itself. */
export type ControlMessage = { t: "hello"; tab: string; id: number; request: HelloRequest } | { t: "leader" };

/**
 * On a tab's channel: calls of `WorkerApi` and their results, delivery batches and their
 * acknowledgements, and the worker asking the tab's token refresher.
 */
export type TabChannelMessage =
  | { t: "call"; id: number; method: string; args: unknown[] }
  | { t: "result"; id: number; result: Result<unknown> }
  | { t: "deliver"; batch: DeliveryItem[] }
  | { t: "ack" }
  | { t: "refresh"; id: number }
  | { t: "refreshed"; id: number; token: unknown; error: string | null };
