import type { ErrorInfo } from "../shared/GatewayError";

/** `gateway/<name>/pending`: a request started (Redux Toolkit's async thunk convention). */
export type PendingAction<Name extends string, Arg> = {
  type: `${Name}/pending`;
  payload: undefined;
  meta: { requestId: string; arg: Arg; requestStatus: "pending" };
};

/** `gateway/<name>/fulfilled`: the request's answer in `payload`. */
export type FulfilledAction<Name extends string, Arg, Result> = {
  type: `${Name}/fulfilled`;
  payload: Result;
  meta: { requestId: string; arg: Arg; requestStatus: "fulfilled" };
};

/**
 * `gateway/<name>/rejected`: why in `error` (plain `{code, message}`); `meta.aborted` when the
 * request was given up (a pool released before its first load).
 */
export type RejectedAction<Name extends string, Arg> = {
  type: `${Name}/rejected`;
  payload: undefined;
  error: ErrorInfo;
  meta: {
    requestId: string;
    arg: Arg;
    requestStatus: "rejected";
    aborted: boolean;
    condition: false;
    rejectedWithValue: false;
  };
};

/** An action creator that also carries its `type` and a `match` type guard (usable in `builder.addCase`). */
export type MatchableCreator<A extends { type: string }, Args extends unknown[]> = ((...args: Args) => A) & {
  readonly type: A["type"];
  match(action: unknown): action is A;
};

/** The three lifecycle actions of one request-shaped call. */
export interface RequestLifecycle<Name extends string, Arg, Result> {
  pending: MatchableCreator<PendingAction<Name, Arg>, [requestId: string, arg: Arg]>;
  fulfilled: MatchableCreator<
    FulfilledAction<Name, Arg, Result>,
    [requestId: string, arg: Arg, payload: Result]
  >;
  rejected: MatchableCreator<
    RejectedAction<Name, Arg>,
    [requestId: string, arg: Arg, error: ErrorInfo, aborted?: boolean]
  >;
}

/** A settled request: its fulfilled or rejected action. */
export type SettledAction<Name extends string, Arg, Result> =
  FulfilledAction<Name, Arg, Result> | RejectedAction<Name, Arg>;

/** Makes `create` a {@link MatchableCreator} of `type`. */
export function matchable<A extends { type: string }, Args extends unknown[]>(
  type: A["type"],
  create: (...args: Args) => A,
): MatchableCreator<A, Args> {
  const match = (action: unknown): action is A =>
    typeof action === "object" && action !== null && (action as { type?: unknown }).type === type;
  return Object.assign(create, { type, match });
}

/**
 * The lifecycle action creators of a request named `name` (e.g. `gateway/login`): pending, then
 * fulfilled or rejected, each with `meta.requestId` and `meta.arg`, as Redux Toolkit's
 * `createAsyncThunk` and RTK Query make them, so `isPending`/`isFulfilled`/`isRejected` and
 * `builder.addCase(x.fulfilled, …)` work on them.
 */
export function requestLifecycle<Name extends string, Arg, Result>(
  name: Name,
): RequestLifecycle<Name, Arg, Result> {
  return {
    pending: matchable(`${name}/pending`, (requestId: string, arg: Arg) => ({
      type: `${name}/pending` as const,
      payload: undefined,
      meta: { requestId, arg, requestStatus: "pending" as const },
    })),
    fulfilled: matchable(`${name}/fulfilled`, (requestId: string, arg: Arg, payload: Result) => ({
      type: `${name}/fulfilled` as const,
      payload,
      meta: { requestId, arg, requestStatus: "fulfilled" as const },
    })),
    rejected: matchable(
      `${name}/rejected`,
      (requestId: string, arg: Arg, error: ErrorInfo, aborted = false) => ({
        type: `${name}/rejected` as const,
        payload: undefined,
        error: { code: error.code, message: error.message },
        meta: {
          requestId,
          arg,
          requestStatus: "rejected" as const,
          aborted,
          condition: false as const,
          rejectedWithValue: false as const,
        },
      }),
    ),
  };
}

let counter = 0;
const prefix = Math.random().toString(36).slice(2, 10);

/** A fresh `meta.requestId` (unique within the page). */
export const nextRequestId = (): string => `${prefix}-${(counter++).toString(36)}`;
