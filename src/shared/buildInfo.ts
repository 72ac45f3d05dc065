import { PROTOCOL_VERSION } from "../protocol";
import { TAB_PROTOCOL_VERSION } from "./tabProtocol";

/** This build's id (the package version); shown in diagnostics and exchanged at hello. */
export const BUILD_ID = "0.1.0";

/**
 * Name of the SharedWorker: it carries both protocol versions, so tabs of incompatible builds
 * never share a worker (a new name starts a new worker).
 */
export const WORKER_NAME = `archit-gateway-p${PROTOCOL_VERSION}-t${TAB_PROTOCOL_VERSION}`;
