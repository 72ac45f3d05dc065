/** Counters behind `GET /stats`. */
export interface Stats {
  countRequest(event: string): void;
  countError(code: number): void;
  snapshot(): { requests: Record<string, number>; errors: Record<string, number> };
}

export function createStats(): Stats {
  const requests = new Map<string, number>();
  const errors = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  return {
    countRequest: (event) => bump(requests, event),
    countError: (code) => bump(errors, String(code)),
    snapshot: () => ({ requests: Object.fromEntries(requests), errors: Object.fromEntries(errors) }),
  };
}
