import type { PageFunction, PageOutcome } from "./engine";

/** How long a page function may take: `run` is for steps, waiting is `until`'s (polls) job. */
export const RUN_TIMEOUT_MS = 20_000;

/**
 * The expression every engine evaluates for `EngineTab.run`: the function's source applied to
 * its JSON argument, awaited, the result brought back as JSON text and an error as its name,
 * message and `code`, a function that does not settle within RUN_TIMEOUT_MS as an error too.
 * One wrapper for all engines, so results, errors and time limits are the same in each.
 */
export function pageExpression<A, R>(fn: PageFunction<A, R>, arg: A | undefined): string {
  const argument = arg === undefined ? "undefined" : JSON.stringify(arg);
  return `(async () => {
  let timer;
  try {
    const value = await Promise.race([
      (${fn.toString()})(${argument}),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error("the page function did not settle within ${RUN_TIMEOUT_MS} ms")),
          ${RUN_TIMEOUT_MS},
        );
      }),
    ]);
    const json = JSON.stringify(value);
    return { ok: true, json: json === undefined ? null : json };
  } catch (error) {
    const e = error ?? {};
    return {
      ok: false,
      name: String(e.name ?? "Error"),
      message: String(e.message ?? e),
      code: e.code === undefined ? null : String(e.code),
    };
  } finally {
    clearTimeout(timer);
  }
})()`;
}

/** An error thrown in the page, rethrown in the test with the page's message and `code`. */
export class PageError extends Error {
  constructor(
    message: string,
    readonly pageName: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = "PageError";
  }
}

/** The value of a run, or its page error thrown. */
export function settle<R>(outcome: PageOutcome): R {
  if (!outcome.ok) throw new PageError(outcome.message, outcome.name, outcome.code);
  return (outcome.json === null ? undefined : JSON.parse(outcome.json)) as R;
}
