import type { PanelState } from "./panelModel";
import { sectionsOf, type Block } from "./panelSections";
import { sparklinePoints } from "./panelStats";

/** An element of `doc` with its text (as text, never HTML) and class. */
export const el = <K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  text?: string,
  cls?: string,
) => {
  const node = doc.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
};

const SVG = "http://www.w3.org/2000/svg";
const SPARK_WIDTH = 240;
const SPARK_HEIGHT = 32;

function sparkline(doc: Document, label: string, values: number[]): Element {
  const max = Math.round(Math.max(0, ...values));
  const svg = doc.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}`);
  svg.setAttribute("width", String(SPARK_WIDTH));
  svg.setAttribute("height", String(SPARK_HEIGHT));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `${label}, last ${values.length} samples, at most ${max}`);
  svg.setAttribute("class", "agd-spark");
  const line = doc.createElementNS(SVG, "polyline");
  line.setAttribute("points", sparklinePoints(values, SPARK_WIDTH, SPARK_HEIGHT));
  svg.append(line);
  return svg;
}

function block(doc: Document, b: Block): Element[] {
  switch (b.kind) {
    case "rows": {
      const list = el(doc, "dl");
      for (const [label, value] of b.rows) list.append(el(doc, "dt", label), el(doc, "dd", value));
      return [list];
    }
    case "list": {
      const list = el(doc, "ul", undefined, "agd-list");
      for (const item of b.items) list.append(el(doc, "li", item.text, item.warn ? "agd-moved" : undefined));
      return [el(doc, "h4", b.label), list];
    }
    case "sparkline":
      return [sparkline(doc, b.label, b.values)];
    case "table": {
      const table = el(doc, "table");
      table.append(el(doc, "caption", b.caption));
      const head = el(doc, "tr");
      for (const h of b.head) {
        const th = el(doc, "th", h);
        th.scope = "col";
        head.append(th);
      }
      table.append(head);
      for (const row of b.rows) {
        const tr = el(doc, "tr");
        row.cells.forEach((text, i) => {
          const cell = el(doc, i === 0 ? "th" : "td");
          if (i === 0 && row.browse) {
            // A button per browsable pool: the panel's click listener reads its key.
            const button = el(doc, "button", text, "agd-browse");
            button.type = "button";
            button.dataset.browse = row.browse.key;
            button.setAttribute("aria-expanded", String(row.browse.expanded));
            cell.append(button);
          } else cell.textContent = text;
          if (i === 0) (cell as HTMLTableCellElement).scope = "row";
          tr.append(cell);
        });
        table.append(tr);
      }
      if (b.rows.length === 0) {
        const tr = el(doc, "tr");
        const td = el(doc, "td", "none");
        td.colSpan = b.head.length;
        tr.append(td);
        table.append(tr);
      }
      return [table];
    }
  }
}

/** Per panel body: each section's content last rendered, and its node. */
const rendered = new WeakMap<HTMLElement, Map<string, { json: string; node: HTMLElement }>>();

/**
 * Renders the state's sections into `body`, rebuilding only the sections whose content changed
 * (most of the panel stays as it was while logs flow). A browse button that had the focus has it
 * again after the render (keyboard users keep their place however often it renders).
 */
export function renderPanel(body: HTMLElement, state: PanelState, now: number): void {
  const doc = body.ownerDocument;
  const root = body.getRootNode() as Document | ShadowRoot;
  const focused = (root.activeElement as HTMLElement | null)?.dataset?.browse;
  const before = rendered.get(body) ?? new Map<string, { json: string; node: HTMLElement }>();
  const after = new Map<string, { json: string; node: HTMLElement }>();
  for (const section of sectionsOf(state, now)) {
    const json = JSON.stringify(section.blocks);
    const kept = before.get(section.title);
    if (kept?.json === json) {
      after.set(section.title, kept);
      continue;
    }
    const node = el(doc, "section");
    node.append(el(doc, "h3", section.title));
    for (const b of section.blocks) node.append(...block(doc, b));
    after.set(section.title, { json, node });
  }
  rendered.set(body, after);
  // The nodes of changed (or gone) sections go, new ones take their places; unchanged ones are
  // neither rebuilt nor moved (sections keep their order).
  const nodes = [...after.values()].map((s) => s.node);
  const keep = new Set<Element>(nodes);
  for (const child of [...body.children]) if (!keep.has(child)) child.remove();
  nodes.forEach((node, i) => {
    if (body.children[i] !== node) body.insertBefore(node, body.children[i] ?? null);
  });
  if (focused !== undefined)
    for (const button of body.querySelectorAll<HTMLElement>("[data-browse]"))
      if (button.dataset.browse === focused && root.activeElement !== button) button.focus();
}
