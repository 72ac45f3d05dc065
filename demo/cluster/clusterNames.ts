import { streamNames, type StreamNames } from "./redisHistory";

/** Default Redis URL (`REDIS_URL` overrides it). */
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/**
 * Everything a cluster names on shared servers derives from one prefix, so clusters (and test
 * runs) side by side never share an exchange, a queue or a stream.
 */
export interface ClusterNames {
  prefix: string;
  exchange: string;
  /** Queue of node `n`. */
  queue(node: number): string;
  streams: StreamNames;
}

export function clusterNames(prefix: string): ClusterNames {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(prefix))
    throw new RangeError(`cluster prefix must be 1-64 letters, digits, _ or -; got "${prefix}"`);
  return {
    prefix,
    exchange: `${prefix}.events`,
    queue: (node) => `${prefix}.node.${node}`,
    streams: streamNames(prefix),
  };
}
