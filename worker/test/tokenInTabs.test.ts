import { afterEach, describe, expect, it } from "vitest";
import { TOKEN_ITEM, type SessionState } from "../../src/shared";
import { createManualClock } from "../../demo/gateway/test/manualClock";
import { startHubHarness, type HubHarness } from "./hubHarness";

let h: HubHarness;
afterEach(async () => h?.stop());

/**
 * Every tab holds the session's token in memory (TOKEN_ITEM): whichever tab is left logs a new
 * worker in (the next leader's, one the browser restarted), without a refresher.
 */
describe("hub: the session's token in every tab", () => {
  it("told to every tab when accepted, to a later tab at hello, replaced by a refresh, null at logout", async () => {
    const clock = createManualClock(Date.now());
    h = await startHubHarness({ clock, hub: { refreshLeadMs: 30_000 } });
    const [a, b] = [h.tab(), h.tab()];
    const token = await h.gw.token("bob", 120);
    // Nothing before a login; a refused token is told to nobody.
    await expect(h.hub.login(a.id, "not.a.jwt")).rejects.toMatchObject({ code: "bad_input" });
    expect(a.values.get(TOKEN_ITEM)).toBeUndefined();
    await h.hub.login(a.id, token);
    for (const tab of [a, b]) await tab.until(() => tab.latest(TOKEN_ITEM) === token);
    const c = h.tab();
    await c.until(() => c.latest(TOKEN_ITEM) === token);

    const fresh = await h.gw.token("bob", 300);
    h.hub.setRefresher(b.id, () => Promise.resolve(fresh));
    clock.advance(91_000);
    for (const tab of [a, b, c]) await tab.until(() => tab.latest(TOKEN_ITEM) === fresh);

    await h.hub.logout(c.id);
    for (const tab of [a, b, c]) await tab.until(() => tab.latest(TOKEN_ITEM) === null);
    // Each tab was told each token once (values coalesce: at most the latest is queued).
    expect(a.values.get(TOKEN_ITEM)).toEqual([token, fresh, null]);
  });

  it("an expired session: null in every tab (an expired token logs no worker in)", async () => {
    const clock = createManualClock(Date.now());
    h = await startHubHarness({ clock });
    const a = h.tab();
    const s = a.subscribe({ kind: "session" });
    const token = await h.gw.token("bob", 60);
    await h.hub.login(a.id, token);
    await a.until(() => a.latest(TOKEN_ITEM) === token);
    clock.advance(61_000);
    await a.until(() => a.latest<SessionState>(s)?.status === "expired");
    await a.until(() => a.latest(TOKEN_ITEM) === null);
  });
});
