import type { PageFunction, PageOutcome } from "./engine";

/**
 * The expression every engine evaluates for `EngineTab.run`: the function's source applied to
 * its JSON argument, awaited, the result brought back as JSON text and an error as its name,
 * message and `code`. One wrapper for all engines, so results and errors look the same in each.
 */
export function pageExpression<A, R>(fn: PageFunction<A, R>, arg: A | undefined): string {
  const argument = arg === undefined ? "undefined" : JSON.stringify(arg);
  return `(async () => {
  try {
    const value = await (${fn.toString()})(${argument});
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
