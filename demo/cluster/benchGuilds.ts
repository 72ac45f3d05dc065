/** Guild of client `i` of `count`: Zipf-like popularity (the k-th guild has weight 1/k). */
export function zipfGuild(guilds: readonly string[], i: number, count: number): string {
  const weights = guilds.map((_, k) => 1 / (k + 1));
  let roll = ((i + 0.5) / count) * weights.reduce((a, b) => a + b, 0);
  const index = weights.findIndex((w) => (roll -= w) < 0);
  const guild = guilds[index === -1 ? guilds.length - 1 : index];
  if (guild === undefined) throw new RangeError("no guilds");
  return guild;
}
