/**
 * Page-side entry of the library. For now: the wire protocol (types and constants) and its
 * runtime validators; the connection client joins it with the SharedWorker.
 */
export * from "./protocol";
export * from "./schema";
