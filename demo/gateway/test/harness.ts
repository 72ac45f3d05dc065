import { createGateway, type Gateway, type GatewayOptions } from "../createGateway";
import { signDemoToken } from "../signDemoToken";
import { TestClient } from "./testClient";

export const TEST_SECRET = "test-secret-0123456789abcdef0123456789";

export interface Harness {
  gateway: Gateway;
  clients: TestClient[];
  /** A connected client, closed by `stop()`. */
  client(): Promise<TestClient>;
  /** A connected client elevated as the demo user with this name. */
  userClient(name: string): Promise<{ client: TestClient; token: string; userId: string }>;
  token(name: string, ttlSeconds?: number): Promise<string>;
  userId(name: string): string;
  guildId(name: string): string;
  stop(): Promise<void>;
}

export async function startHarness(options: GatewayOptions = {}): Promise<Harness> {
  const gateway = await createGateway({
    secret: TEST_SECRET,
    bigGuildMembers: 3000,
    warn: () => {},
    ...options,
  });
  const clients: TestClient[] = [];
  const ds = gateway.context.dataset;
  const userId = (name: string) => {
    const user = ds.demoUsers.find((u) => u.name === name);
    if (!user) throw new Error(`no demo user ${name}`);
    return user.id;
  };
  const guildId = (name: string) => {
    const guild = [...ds.guilds.values()].find((g) => g.name === name);
    if (!guild) throw new Error(`no guild ${name}`);
    return guild.id;
  };
  const token = async (name: string, ttlSeconds = 3600) => {
    const user = ds.demoUsers.find((u) => u.id === userId(name));
    if (!user) throw new Error(name);
    return signDemoToken(gateway.auth, user, ttlSeconds);
  };
  const client = async () => {
    const c = new TestClient(gateway.url);
    clients.push(c);
    await c.connected();
    return c;
  };
  return {
    gateway,
    clients,
    client,
    token,
    userId,
    guildId,
    async userClient(name) {
      const c = await client();
      const t = await token(name);
      const ret = await c.ask("request_elevation", { token: t }, "request_elevation_return");
      if (!ret.success) throw new Error(`elevation of ${name} failed`);
      return { client: c, token: t, userId: userId(name) };
    },
    /** Stops everything; fails if any client received a frame that breaks the protocol. */
    async stop() {
      for (const c of clients) c.close();
      await gateway.stop();
      const violations = clients.flatMap((c) => c.violations);
      if (violations.length > 0)
        throw new Error(`protocol violations:\n${violations.slice(0, 5).join("\n")}`);
    },
  };
}
