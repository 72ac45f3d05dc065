import type { RequestElevationReturnPayload } from "../../src/protocol";
import type { RequestSpec } from "../gateway/requests";

/** Elevates the socket as the token's user; not re-sent after a reconnect (the session elevates again). */
export function elevationRequest(
  token: string,
): RequestSpec<"request_elevation", RequestElevationReturnPayload> {
  return {
    event: "request_elevation",
    needsAuth: false,
    retry: false,
    build: (_id) => ({ _id, token }),
    collect: (event, payload) =>
      event === "request_elevation_return"
        ? { done: true, value: payload as RequestElevationReturnPayload }
        : { done: false },
  };
}

/** Drops the socket's elevation (a logout). */
export const DROP_ELEVATION: RequestSpec<"drop_elevation", null> = {
  event: "drop_elevation",
  needsAuth: false,
  retry: false,
  build: (_id) => ({ _id }),
  collect: (event) => (event === "drop_elevation_return" ? { done: true, value: null } : { done: false }),
};
