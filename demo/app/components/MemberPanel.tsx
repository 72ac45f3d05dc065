import { memo } from "react";
import type { Member, PresenceStatus } from "../../../src";
import { usePool } from "../../../src/react";
import { Avatar, avatarUrl } from "./Avatar";
import { CacheBadge } from "./CacheBadge";

const GROUPS: { status: Exclude<PresenceStatus, "offline">; label: string }[] = [
  { status: "online", label: "Online" },
  { status: "idle", label: "Idle" },
  { status: "dnd", label: "Do not disturb" },
];
/** Rows shown per group: a big guild has thousands online; search finds the rest. */
const SHOWN = 40;

const byName = (a: Member, b: Member) => (a.nick ?? a.name).localeCompare(b.nick ?? b.name);

/** One member: memoised on the entity, so a presence change re-renders only the members it moved. */
const MemberRow = memo(function MemberRow({ member }: { member: Member }) {
  return (
    <li>
      <span className={`presence ${member.status ?? "unknown"}`} aria-hidden="true" />
      <Avatar
        id={member.id}
        name={member.nick ?? member.name}
        src={avatarUrl(member.id, member.avatar)}
        size={20}
      />
      <span style={member.color ? { color: member.color } : undefined}>{member.nick ?? member.name}</span>
      {member.nick ? <span className="muted"> {member.name}</span> : null}
    </li>
  );
});

/**
 * The guild's online members first, grouped by status (the online view: a fraction of the
 * member pool, kept current by presence); search finds anyone, and the whole pool loads only on
 * demand (Pools → member).
 */
export function MemberPanel({ guildId }: { guildId: string }) {
  const { value: snapshot, error } = usePool("member", { guildId, view: "online" });
  const members = snapshot?.entities ?? [];
  return (
    <section data-testid="member-panel">
      <h2>
        Members online{" "}
        <span data-testid="online-count">{snapshot?.status === "ready" ? members.length : "…"}</span>
        <CacheBadge snapshot={snapshot} />
      </h2>
      {snapshot?.error ? (
        <div className="error" data-testid="online-error">
          {snapshot.error.code === "unsupported"
            ? "This gateway has no presence: search members below, or load the whole pool."
            : snapshot.error.message}
        </div>
      ) : null}
      {error ? <div className="error">{String((error as Error).message)}</div> : null}
      <div className="presence-groups">
        {GROUPS.map(({ status, label }) => {
          const group = members.filter((m) => m.status === status).sort(byName);
          if (group.length === 0) return null;
          return (
            <div key={status} className="presence-group">
              <h3>
                {label} — {group.length}
              </h3>
              <ul className="members">
                {group.slice(0, SHOWN).map((m) => (
                  <MemberRow key={m.id} member={m} />
                ))}
              </ul>
              {group.length > SHOWN ? (
                <div className="muted">… {group.length - SHOWN} more: search for them</div>
              ) : null}
            </div>
          );
        })}
      </div>
    </section>
  );
}
