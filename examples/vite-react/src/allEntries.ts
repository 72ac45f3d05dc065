// Not part of the app: `tsc --noEmit` checks that every public entry of the package type-checks
// under this strict configuration (no skipLibCheck). The worker entry is imported for its types
// only: importing it for real would start the worker's code in the page.
import type * as client from "@architus/gateway-connection";
import type * as devtools from "@architus/gateway-connection/devtools";
import type * as devtoolsReact from "@architus/gateway-connection/devtools/react";
import type * as protocol from "@architus/gateway-connection/protocol";
import type * as react from "@architus/gateway-connection/react";
import type * as schema from "@architus/gateway-connection/schema";
import type * as worker from "@architus/gateway-connection/worker";

export type Entries = [
  typeof client,
  typeof protocol,
  typeof react,
  typeof schema,
  typeof worker,
  typeof devtools,
  typeof devtoolsReact,
];

export const checks = (c: typeof client, s: typeof schema) => {
  const gateway: client.GatewayClient = c.connectGateway({ url: "http://127.0.0.1:4100" });
  const members: client.PoolHandle<client.Member> = gateway.pool("member", { guildId: "1" });
  const parsed = s.parsePayload(s.serverPayloadSchemas.log_other, "{}");
  const error: client.GatewayError | null = parsed.ok ? null : new c.GatewayError(parsed.error.code, "");
  return { members, error };
};
