import type { Channel, CustomEmoji, Member, Role } from "../../../src";
import { Avatar, avatarUrl } from "./Avatar";
import { VOICE, channelTree } from "./channelTree";

/** Members as Discord shows them: avatar, display name in their role colour, the name beside a nick. */
export function MemberList({ members }: { members: Member[] }) {
  return (
    <ul className="entity-list" data-testid="member-list">
      {members.map((m) => (
        <li key={m.id}>
          <Avatar id={m.id} name={m.nick ?? m.name} src={avatarUrl(m.id, m.avatar)} />
          <span style={m.color ? { color: m.color } : undefined}>{m.nick ?? m.name}</span>
          {m.nick ? <span className="muted"> {m.name}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** A voice channel's mark (an icon rather than an emoji, which not every system has a font for). */
function SpeakerIcon() {
  return (
    <svg className="speaker" width="12" height="12" viewBox="0 0 16 16" role="img" aria-label="voice channel">
      <path
        d="M2 6h3l4-3v10l-4-3H2z M11 5a4 4 0 0 1 0 6 M13 3a7 7 0 0 1 0 10"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
      />
    </svg>
  );
}

/** Channels in their categories, in Discord's order; voice channels marked. */
export function ChannelList({ channels }: { channels: Channel[] }) {
  return (
    <div className="channel-tree" data-testid="channel-tree">
      {channelTree(channels).map(({ category, channels: inside }) => (
        <div key={category?.id ?? "none"}>
          {category ? <h3 className="category">{category.name.toUpperCase()}</h3> : null}
          <ul className="entity-list">
            {inside.map((c) => (
              <li key={c.id}>
                {c.type === VOICE ? (
                  <SpeakerIcon />
                ) : (
                  <span className="muted" aria-label="text channel">
                    #
                  </span>
                )}{" "}
                {c.name}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

/** Roles highest first, each in its colour with a swatch. */
export function RoleList({ roles }: { roles: Role[] }) {
  const sorted = [...roles].sort((a, b) => b.position - a.position);
  return (
    <ul className="entity-list" data-testid="role-list">
      {sorted.map((r) => (
        <li key={r.id}>
          <span className="swatch" style={{ background: r.color ?? "#99aab5" }} aria-hidden="true" />
          <span style={r.color ? { color: r.color } : undefined}>{r.name}</span>
          {r.mentionable ? <span className="muted"> · mentionable</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** Custom emoji as images (the name when the image cannot load), most used first. */
export function EmojiGrid({ emoji }: { emoji: CustomEmoji[] }) {
  const sorted = [...emoji].sort((a, b) => b.num_uses - a.num_uses);
  return (
    <ul className="emoji-grid" data-testid="emoji-grid">
      {sorted.map((e) => (
        <li key={e.id} title={`:${e.name}: · used ${e.num_uses} times`}>
          <Avatar id={e.id} name={e.name} src={e.url} size={32} />
          <span className="emoji-name">:{e.name}:</span>
        </li>
      ))}
    </ul>
  );
}
