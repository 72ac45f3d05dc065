import { LogActionNumber, type LogAction } from "../../../src/protocol";

/** Action numbers to their names in the log action table (MESSAGE_SEND, AUTO_RESPONSE_ADD…). */
const NAMES = new Map<number, string>(Object.entries(LogActionNumber).map(([name, n]) => [n, name]));

export const actionName = (n: number): string => NAMES.get(n) ?? `ACTION_${n}`;

/** "5 s ago", "3 min ago": how long ago `at` was. */
export function ago(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.floor(s / 60)} min ago` : `${Math.floor(s / 3600)} h ago`;
}

/** Names by id: members (nick or name) and channels, as far as their pools hold them. */
export interface Names {
  member(id: string): string | null;
  channel(id: string): string | null;
}

/**
 * One entry as the dashboard shows it: who did what to whom, where, and what it said. An agent
 * or channel the pools do not hold (yet) shows as its id; a private entry says so.
 */
export function describe(action: LogAction, names: Names): string {
  const agent = action.agent_id ? (names.member(action.agent_id) ?? action.agent_id) : "someone";
  // A subject is shown when it is a member the pool knows (a message's subject is the message).
  const subject = action.subject_id ? names.member(action.subject_id) : null;
  const channel = action.channel_id ? `#${names.channel(action.channel_id) ?? action.channel_id}` : null;
  const parts = [agent, actionName(action.action_number)];
  if (subject && action.subject_id !== action.agent_id) parts.push(`→ ${subject}`);
  if (channel) parts.push(`in ${channel}`);
  const text = action.private ? " (private)" : action.content ? `: ${action.content}` : "";
  return `${parts.join(" ")}${text}`;
}

/** The member ids an entry names (to ask the member pool for exactly those). */
export const namedMembers = (action: LogAction): string[] =>
  [action.agent_id, action.subject_id].filter((id): id is string => typeof id === "string");
