/** One measured point of `bench:cluster`. */
export interface ScalingPoint {
  clients: number;
  p50_ms: number;
  p99_ms: number;
  /** Messages per second RabbitMQ delivered to each node (mean over nodes). */
  inbound_per_node: number;
  /** Messages per second the producer published. */
  published: number;
}

const W = 360;
const H = 220;
const PAD = 44;

function panel(
  x0: number,
  title: string,
  points: ScalingPoint[],
  series: { label: string; color: string; value: (p: ScalingPoint) => number }[],
): string {
  const xs = points.map((p) => p.clients);
  const ys = points.flatMap((p) => series.map((s) => s.value(p)));
  const xMax = Math.max(...xs, 1);
  const yMax = Math.max(...ys, 1) * 1.1;
  const px = (x: number) => x0 + PAD + (x / xMax) * (W - PAD - 10);
  const py = (y: number) => H - PAD + 10 - (y / yMax) * (H - PAD - 20);
  const lines = series.map((s, i) => {
    const path = points.map(
      (p, j) => `${j === 0 ? "M" : "L"}${px(p.clients).toFixed(1)},${py(s.value(p)).toFixed(1)}`,
    );
    const dots = points.map(
      (p) =>
        `<circle cx="${px(p.clients).toFixed(1)}" cy="${py(s.value(p)).toFixed(1)}" r="3" fill="${s.color}"/>`,
    );
    const legend = `<text x="${x0 + PAD + 8}" y="${24 + i * 14}" fill="${s.color}" font-size="11">${s.label}</text>`;
    return `<path d="${path.join(" ")}" fill="none" stroke="${s.color}" stroke-width="2"/>${dots.join("")}${legend}`;
  });
  const ticks = xs.map(
    (x) => `<text x="${px(x).toFixed(1)}" y="${H - 14}" font-size="10" text-anchor="middle">${x}</text>`,
  );
  return [
    `<text x="${x0 + W / 2}" y="12" font-size="12" text-anchor="middle">${title}</text>`,
    `<line x1="${x0 + PAD}" y1="${H - PAD + 10}" x2="${x0 + W - 10}" y2="${H - PAD + 10}" stroke="#888"/>`,
    `<line x1="${x0 + PAD}" y1="20" x2="${x0 + PAD}" y2="${H - PAD + 10}" stroke="#888"/>`,
    `<text x="${x0 + 4}" y="30" font-size="10">${Math.round(yMax)}</text>`,
    `<text x="${x0 + W / 2}" y="${H - 2}" font-size="10" text-anchor="middle">clients</text>`,
    ...ticks,
    ...lines,
  ].join("\n");
}

/** Two panels: delivery latency, and per-node inbound rate against the published rate, by client count. */
export function scalingSvg(points: ScalingPoint[], caption: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 20}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    panel(0, "delivery latency (ms)", points, [
      { label: "p50", color: "#1f77b4", value: (p) => p.p50_ms },
      { label: "p99", color: "#d62728", value: (p) => p.p99_ms },
    ]),
    panel(W, "messages/s", points, [
      { label: "published", color: "#555", value: (p) => p.published },
      { label: "received per node", color: "#2ca02c", value: (p) => p.inbound_per_node },
    ]),
    `<text x="6" y="${H + 14}" font-size="10">${caption}</text>`,
    `</svg>`,
    "",
  ].join("\n");
}
