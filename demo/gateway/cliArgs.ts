/** Parses a non-negative integer command-line value; exits with a clear message (status 2) otherwise. */
export function intArg(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got "${text}"`);
    process.exit(2);
  }
  return n;
}
