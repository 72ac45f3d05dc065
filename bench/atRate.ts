/**
 * Calls `emit(due)` every 10 ms for `seconds` with how many of `rate` a second are due since the
 * last call (none skipped, none early). Resolves with how many were emitted and over how long (s).
 */
export async function atRate(
  rate: number,
  seconds: number,
  emit: (due: number) => Promise<unknown> | void,
): Promise<{ emitted: number; seconds: number }> {
  const start = Date.now();
  const end = start + seconds * 1000;
  let emitted = 0;
  while (Date.now() < end) {
    const due = Math.floor(((Date.now() - start) / 1000) * rate) - emitted;
    if (due > 0) {
      await emit(due);
      emitted += due;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return { emitted, seconds: (Date.now() - start) / 1000 };
}
