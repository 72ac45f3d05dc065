import type { RequestElevationReturnPayload } from "../../src/protocol";
import type { Requests } from "../gateway/requests";

type Send = Pick<Requests, "send">;

/** Elevates the socket with `token`: the gateway's answer (refused or not), or the request's error. */
export function elevate(requests: Send, token: string): Promise<RequestElevationReturnPayload> {
  return requests.send<"request_elevation", RequestElevationReturnPayload>({
    event: "request_elevation",
    needsAuth: false,
    retry: false,
    build: (_id) => ({ _id, token }),
    collect: (event, payload) =>
      event === "request_elevation_return"
        ? { done: true, value: payload as RequestElevationReturnPayload }
        : { done: false },
  });
}

/** Drops the socket's elevation; settles once the gateway answered, or failed to. */
export function dropElevation(requests: Send): Promise<unknown> {
  return requests
    .send({
      event: "drop_elevation",
      needsAuth: false,
      retry: false,
      build: (_id) => ({ _id }),
      collect: (event) => (event === "drop_elevation_return" ? { done: true, value: null } : { done: false }),
    })
    .catch(() => {
      // Not connected: the next connection starts unelevated anyway.
    });
}
