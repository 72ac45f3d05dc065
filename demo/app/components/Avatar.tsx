import { useState } from "react";

/** A colour of its own for each id (the avatar's background when no image shows). */
function hue(id: string): number {
  let h = 0;
  for (const char of id) h = (h * 31 + char.charCodeAt(0)) % 360;
  return h;
}

/**
 * A Discord-style round image: `src` when it loads (Discord's CDN, for avatars and emoji), else
 * the name's first letter on a colour of its own (offline, or no image at all).
 */
export function Avatar({
  id,
  name,
  src,
  size = 24,
}: {
  id: string;
  name: string;
  src: string | null;
  size?: number;
}) {
  const [failed, setFailed] = useState(false);
  const style = { width: size, height: size };
  if (src && !failed)
    return <img className="avatar" src={src} alt="" style={style} onError={() => setFailed(true)} />;
  return (
    <span
      className="avatar initials"
      aria-hidden="true"
      style={{ ...style, background: `hsl(${hue(id)} 45% 35%)` }}
    >
      {(name.trim()[0] ?? "?").toUpperCase()}
    </span>
  );
}

/** Discord's CDN address of a user's avatar (null: the default avatar). */
export const avatarUrl = (userId: string, hash: string | null): string | null =>
  hash ? `https://cdn.discordapp.com/avatars/${userId}/${hash}.png?size=64` : null;
