import { reply } from "./context";
import { dropElevation, elevate } from "./elevation";
import { handleInterpret } from "./interpretHandler";
import { handlePoolAll, handlePoolRequest, handlePoolSearch } from "./poolHandlers";
import type { Handlers } from "./router";
import { handleSpectate } from "./spectateHandler";

/** The handler of each client event. */
export const gatewayHandlers: Handlers = {
  request_elevation: elevate,
  drop_elevation: (ctx, session, payload) => {
    dropElevation(ctx, session);
    reply(session, "drop_elevation_return", { _id: payload._id, success: true });
  },
  interpret: handleInterpret,
  spectate: handleSpectate,
  pool_all_request: handlePoolAll,
  pool_request: handlePoolRequest,
  pool_search_request: handlePoolSearch,
};
