import { createElement as h } from "react";
import { renderToString } from "react-dom/server";
import { Observable } from "rxjs";
import { describe, expect, it } from "vitest";
import type { GatewayClient } from "../client/connectGateway";
import { GatewayProvider, useConnection, useLogs, usePool, useSession, useSpectating } from "./index";

/** A client whose observables count subscriptions and never emit. */
function stubClient() {
  let subscribed = 0;
  const never = new Observable<never>(() => {
    subscribed += 1;
  });
  const pool = { all$: () => never, entities$: () => never, entity$: () => never, search$: () => never };
  const client = {
    connection$: never,
    session$: never,
    spectating$: never,
    diagnostics$: never,
    logs$: () => never,
    pool: () => pool,
  } as unknown as GatewayClient;
  return { client, subscriptions: () => subscribed };
}

function Page() {
  const connection = useConnection();
  const session = useSession();
  const spectating = useSpectating();
  const logs = useLogs("1", { limit: 5 });
  const roles = usePool("role", { guildId: "1" });
  return h(
    "p",
    null,
    `${connection?.status ?? "no connection"}|${session?.status ?? "no session"}|${spectating?.guildId ?? "no guild"}|${logs.entries.length} entries|${roles.value?.status ?? "no pool"}`,
  );
}

describe("React hooks, server rendering", () => {
  it("renders the initial values and subscribes to nothing", () => {
    const { client, subscriptions } = stubClient();
    const html = renderToString(h(GatewayProvider, { client }, h(Page)));
    expect(html).toContain("no connection|no session|no guild|0 entries|no pool");
    expect(subscriptions()).toBe(0);
  });

  it("useLogs refuses a limit that is not a positive integer", () => {
    const { client } = stubClient();
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      const Logs = () => h("p", null, useLogs("1", { limit }).entries.length);
      expect(() => renderToString(h(GatewayProvider, { client }, h(Logs)))).toThrow(
        expect.objectContaining({ code: "bad_input" }),
      );
    }
  });

  it("a hook outside a GatewayProvider throws bad_input", () => {
    expect(() => renderToString(h(Page))).toThrow(expect.objectContaining({ code: "bad_input" }));
  });
});
