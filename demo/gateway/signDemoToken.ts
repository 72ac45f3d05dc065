import type { Auth } from "./auth";
import type { DemoUser } from "./dataset/Dataset";

/** A token for a demo user: the claims its account carries (staff get `admin: true`). */
export function signDemoToken(auth: Auth, user: DemoUser, ttlSeconds: number): Promise<string> {
  const claims = { sub: user.id, permissions: user.permissions, guilds: user.guilds };
  return auth.sign(user.admin ? { ...claims, admin: true } : claims, ttlSeconds);
}
