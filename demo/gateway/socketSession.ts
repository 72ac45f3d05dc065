import type { Server, Socket } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents, TokenClaims } from "../../src/protocol";
import type { Cancel } from "./clock";
import type { GuildView } from "./permissions";
import type { RateLimiter } from "./rateLimiter";

/** The gateway's Socket.IO server, typed by the protocol's event maps. */
export type GatewayServer = Server<ClientToServerEvents, ServerToClientEvents>;
/** One client's socket on it. */
export type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/** Everything the gateway knows about one connected socket. */
export interface SocketSession {
  readonly socket: GatewaySocket;
  /** Claims of the latest verified token of the elevated user; null while anonymous. */
  claims: TokenClaims | null;
  cancelExpiry: Cancel | null;
  /** The spectated guild and what this socket may see of it. */
  guildId: string | null;
  view: GuildView | null;
  /** Logs were asked for by the last spectate. */
  wantsLogs: boolean;
  /** Extension 2: presence frames were asked for (and the gateway has the extension). */
  wantsPresence: boolean;
  /** Extension 1: the batching window of this socket's pushes (0: single frames). */
  batchMs: number;
  /** Broker topics this socket holds a reference to. */
  readonly topics: Set<string>;
  readonly limiter: RateLimiter;
  /** Requests of one socket are handled one after the other. */
  queue: Promise<void>;
}
