import type { LogAction, LogPoolPayload } from "../../src/protocol";
import type { GuildView } from "./permissions";

/** A log entry stripped to what anyone who sees the guild may know: that something happened. */
export function redactAction(action: LogAction): LogAction {
  return {
    id: action.id,
    action_number: action.action_number,
    timestamp: action.timestamp,
    guild_id: action.guild_id,
    private: action.private,
    reversible: action.reversible,
  };
}

/** Whether a `log_other` entry may reach a socket with this view. */
export function canSeeLogEntry(action: LogAction, view: GuildView): boolean {
  return view.logs && (!action.private || view.privateLogs);
}

/**
 * The `log_pool` payload a socket with this view may receive: settings updates only with
 * VIEW_SETTINGS, private entries' details only with VIEW_PRIVATE_LOGS. The seq is always
 * kept, so the socket sees no gap. Returns the input itself when nothing is withheld.
 */
export function viewPoolEvent(event: LogPoolPayload, view: GuildView): LogPoolPayload {
  const updates = view.settings ? event.updates : event.updates.filter((u) => u.type !== "settingValue");
  const withheld = updates.length !== event.updates.length;
  const hidePrivate = event.action.private && !view.privateLogs;
  if (!withheld && !hidePrivate) return event;
  return { ...event, action: redactAction(event.action), updates };
}
