/** "cached 3 min ago, updating…" while a pool shows its IndexedDB copy; nothing once it is fresh. */
export function CacheBadge({ snapshot }: { snapshot: { stale: boolean; savedAt: number | null } | null }) {
  if (!snapshot?.stale || snapshot.savedAt === null) return null;
  return (
    <span className="muted" data-testid="cache-badge">
      {" "}
      · cached {age(Date.now() - snapshot.savedAt)} ago, updating…
    </span>
  );
}

function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}
