import type { Channel, Role } from "../src";
import { channelTree } from "../demo/app/components/channelTree";
import { expect, test } from "./fixtures";

test("the demo app: two tabs, one socket; login, guild, live pools and logs, search, interpret", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const demoUrl = `${app.url}/demo/app/index.html?gateway=${encodeURIComponent(gateway.url)}`;
  const [one, two] = [await context.newPage(), await context.newPage()];
  const errors: string[] = [];
  for (const page of [one, two]) page.on("pageerror", (e) => errors.push(String(e)));
  await one.goto(demoUrl);
  await two.goto(demoUrl);
  await expect(one.getByTestId("connection")).toContainText("connected");
  await expect(two.getByTestId("tabs")).toContainText("2 tab(s)");
  expect(gateway.stats().sockets).toBe(1);
  // The devtools panel in place of a JSON dump: collapsed, then open on the worker's numbers.
  expect(await two.locator("pre").count()).toBe(0);
  const devtools = two.getByRole("button", { name: "Gateway devtools" });
  await expect(devtools).toHaveAttribute("aria-expanded", "false");
  await devtools.click();
  await expect(two.getByRole("region", { name: "Gateway connection devtools" })).toContainText(/Tabs \(2\)/, {
    useInnerText: true,
  });
  await devtools.click();
  expect(
    await one.evaluate(
      () => typeof (window as unknown as { gateway: { interpret: unknown } }).gateway.interpret,
    ),
  ).toBe("function");

  await one.getByTestId("login-dave").click();
  await expect(two.getByTestId("session")).toContainText("authenticated");
  await one.getByTestId("guild-Architus Hub").click();
  await expect(two.getByTestId("spectating")).toContainText("(another tab)");
  await expect(one.getByTestId("spectating")).toContainText("(this tab)");
  await expect(one.getByTestId("pool-status")).toContainText("ready");
  // The online members first: the count the gateway publishes, in both tabs, following presence.
  const hub = [...gateway.context.dataset.guilds.values()].find((g) => g.name === "Architus Hub")!;
  for (const page of [one, two])
    await expect(page.getByTestId("online-count")).toHaveText(String(hub.presence.size));
  await gateway.activity.publish(hub.id, "presence", 200);
  await expect.poll(() => gateway.context.events.latest(`${hub.id}_presence`)).toBeGreaterThan(0);
  await expect(two.getByTestId("online-count")).toHaveText(String(hub.presence.size));
  await expect(one.getByTestId("member-panel").locator("li").first()).toBeVisible();

  await gateway.activity.setRate(400);
  await expect(one.getByTestId("log-stats")).toContainText(/[1-9]\d* received/);
  await gateway.activity.setRate(0);
  // Rows as the dashboard shows them: a time, the agent by name (through the member pool), the
  // action's name from the log action table, the channel by name.
  const names = [...hub.pools.member.values()].map((m) => m.nick ?? m.name);
  await expect
    .poll(async () => {
      const rows = await one.locator(".log .row").allInnerTexts();
      return rows.some((row) => {
        const m = /^\d+ (?:s|min) ago (.+?) ([A-Z_]{4,})\b.* in #([^\s:]+)/.exec(row);
        return m !== null && names.includes(m[1]!) && !/^\d+$/.test(m[3]!);
      });
    })
    .toBe(true);

  // The pools as the dashboard shows them: channels in their categories, roles in their colours,
  // emoji as images, members with avatars and names in their role colours.
  const pools = one.locator("section", { has: one.getByRole("heading", { name: "Pools" }) });
  await pools.getByRole("button", { name: "channel", exact: true }).click();
  const groups = channelTree([...hub.pools.channel.values()] as Channel[]);
  const categories = groups.filter((g) => g.category).map((g) => g.category!.name.toUpperCase());
  await expect(one.getByTestId("channel-tree").locator("h3.category")).toHaveText(categories);
  const firstInCategory = groups.find((g) => g.category && g.channels.length > 0)!;
  await expect(
    one
      .getByTestId("channel-tree")
      .locator("div", { has: one.getByText(firstInCategory.category!.name.toUpperCase()) }),
  ).toContainText(firstInCategory.channels[0]!.name);
  await pools.getByRole("button", { name: "role", exact: true }).click();
  const roles = ([...hub.pools.role.values()] as Role[]).sort((a, b) => b.position - a.position);
  await expect(one.getByTestId("role-list").locator("li")).toHaveCount(Math.min(roles.length, 200));
  const coloured = roles.findIndex((r) => r.color);
  const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;
  await expect(one.getByTestId("role-list").locator("li").nth(coloured).locator("span").nth(1)).toHaveCSS(
    "color",
    rgb(roles[coloured]!.color!),
  );
  await pools.getByRole("button", { name: "customEmoji", exact: true }).click();
  await expect(one.getByTestId("emoji-grid").locator("li")).toHaveCount(
    Math.min(hub.pools.customEmoji.size, 200),
  );
  await expect(one.getByTestId("emoji-grid").locator(".avatar").first()).toBeVisible();
  await pools.getByRole("button", { name: "member (load all)" }).click();
  await expect(one.getByTestId("member-list").locator("li")).toHaveCount(
    Math.min(hub.pools.member.size, 200),
  );
  await expect(one.getByTestId("member-list").locator(".avatar").first()).toBeVisible();

  // The demo's client has devtools: true: the panel's actions work.
  await devtools.click();
  await two.getByRole("button", { name: "Re-spectate" }).click();
  await expect(two.locator(".agd-said")).toHaveText("Re-spectate: spectating again.");
  await devtools.click();

  await one.getByTestId("member-search").fill("a");
  await expect(one.locator("section", { hasText: "Member search" }).locator("tr").first()).toBeVisible();

  await two.getByTestId("interpret-input").fill("!ping");
  await two.getByTestId("interpret-input").press("Enter");
  await expect(two.getByTestId("interpret-output")).toContainText("bot: pong");

  // The cache line: pools written to IndexedDB, then "clear cache" empties it.
  await expect(two.getByTestId("cache-line")).toContainText(/cache ready · [1-9]\d* pools/);
  await two.getByTestId("clear-cache").click();
  await expect(two.getByTestId("cache-line")).toContainText("cache ready · 0 pools of 0 user(s)");

  await one.screenshot({ path: test.info().outputPath("demo.png") });
  expect(errors).toEqual([]);
  expect(gateway.stats().sockets).toBe(1);
  await context.close();
});
