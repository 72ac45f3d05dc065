import { tokenFor } from "../helpers";
import { openClientTabs, until } from "./clientTabs";
import { expect, modeQuery, test } from "./engineFixture";
import { authenticatedAs, demoUserId, login, sessionOf, trackSession } from "./tabSteps";

test("login in one tab: every tab's session$ is that user; logout in another: every tab anonymous", async ({
  engine,
  gateway,
  app,
}) => {
  const tabs = await openClientTabs(engine, app.url, gateway, 3, modeQuery());
  for (const tab of tabs) await trackSession(tab);
  expect(await login(tabs[1]!, await tokenFor(gateway, "bob"))).toBe("authenticated");
  for (const tab of tabs) await authenticatedAs(tab, demoUserId(gateway, "bob"));
  expect(gateway.stats().elevated).toBe(1);

  await tabs[2]!.run(() => window.clientPage.gateway.logout());
  for (const tab of tabs)
    await until(tab, () => window.clientPage.last<{ status: string }>("session")?.status === "anonymous");
  expect(gateway.stats().elevated).toBe(0);
  expect(await sessionOf(tabs[0]!)).toEqual({ status: "anonymous" });
});
