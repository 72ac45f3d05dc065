import type { SocketPage } from "./pages/socketPage";
import { expect, test } from "./fixtures";

declare global {
  interface Window {
    socketPage: SocketPage;
  }
}

test("a real Chromium page speaks the protocol to the reference gateway (CORS, WebSocket, dev endpoints)", async ({
  page,
  gateway,
  app,
}) => {
  await page.goto(`${app.url}/e2e/pages/socketPage.html`);
  await page.waitForFunction(() => window.socketPage !== undefined);
  const sid = await page.evaluate((url) => window.socketPage.connect(url), gateway.url);
  expect(gateway.stats().sockets).toBe(1);
  expect(gateway.stats().rooms[sid]).toBe(1);

  // The page fetches the dev endpoints cross-origin, as the demo app will.
  const { token, hub } = await page.evaluate(async (url) => {
    const dataset = await (await fetch(`${url}/dev/dataset`)).json();
    const dave = dataset.users.find((u: { name: string }) => u.name === "dave");
    const hub = dataset.guilds.find((g: { name: string }) => g.name === "Architus Hub").id as string;
    const res = await fetch(`${url}/dev/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user_id: dave.id, ttl_s: 600 }),
    });
    return { token: (await res.json()).token as string, hub };
  }, gateway.url);

  await page.evaluate(
    ({ token, hub }) => {
      window.socketPage.send("request_elevation", { _id: 1, token });
      window.socketPage.send("spectate", { _id: 2, token, guild_id: hub, include_logs: true });
    },
    { token, hub },
  );
  await page.waitForFunction(() => window.socketPage.frames.some((f) => f.event === "spectate_return"));
  expect(gateway.stats().rooms[`guild:${hub}:logs:private`]).toBe(1);

  await page.evaluate(
    async ({ url, hub }) => {
      await fetch(`${url}/dev/activity`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ guild_id: hub, kind: "private_message", count: 25 }),
      });
    },
    { url: gateway.url, hub },
  );
  await page.waitForFunction(
    () => window.socketPage.frames.filter((f) => f.event === "log_other").length === 25,
  );
  const seqs = await page.evaluate(() =>
    window.socketPage.frames
      .filter((f) => f.event === "log_other")
      .map((f) => (f.payload as { seq: number }).seq),
  );
  expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));

  await page.evaluate(() => window.socketPage.close());
  await expect.poll(() => gateway.stats().sockets).toBe(0);
});
