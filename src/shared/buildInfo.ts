import { PROTOCOL_VERSION } from "../protocol";
import { TAB_PROTOCOL_VERSION } from "./tabProtocol";

/**
 * This build's id (the package version), exchanged at hello: `ready` resolves with the worker's,
 * and `diagnostics$` shows it under `versions.build`.
 */
export const BUILD_ID = "0.1.0";

/**
 * Name of the SharedWorker: it carries both protocol versions, so tabs of incompatible builds
 * never share a worker (a new name starts a new worker). A custom `worker` factory should give
 * its SharedWorker this name.
 */
export const WORKER_NAME = `archit-gateway-p${PROTOCOL_VERSION}-t${TAB_PROTOCOL_VERSION}`;
