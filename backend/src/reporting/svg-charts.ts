/**
 * Dependency-free SVG charts for the static report (a health agency's network may be closed, and
 * the page must load nothing). Weekly x axis; lines with an optional 95 % band, or stacked bars.
 * Every drawn value carries class="datum", so a test (or a reader of the source) can count them.
 */
export interface LineSeries {
  name: string;
  values: readonly (number | null)[];
  /** Drawn as a shaded band between these two series instead of lines. */
  band?: { low: readonly (number | null)[]; high: readonly (number | null)[] } | undefined;
  dashed?: boolean;
}

export interface ChartFrame {
  title: string;
  /** Week labels, one per x position. */
  labels: readonly string[];
  yLabel: string;
  /** Values are shares (0–1): shown as percentages. */
  percent?: boolean;
}

const W = 720;
const H = 280;
const M = { top: 28, right: 160, bottom: 48, left: 58 };
export const PALETTE = ['#1d4e89', '#d1495b', '#00798c', '#edae49', '#66a182', '#8d5a97', '#30638e', '#c76d3a'];

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function lineChart(frame: ChartFrame, series: readonly LineSeries[]): string {
  const all = series.flatMap((s) => [...s.values, ...(s.band ? [...s.band.low, ...s.band.high] : [])]).filter((v): v is number => v !== null);
  if (all.length === 0) return emptyChart(frame);
  const { x, y, axes } = scales(frame, Math.max(...all));
  const parts = [axes];
  series.forEach((s, k) => {
    const colour = PALETTE[k % PALETTE.length]!;
    if (s.band) parts.push(band(s.band.low, s.band.high, x, y, colour));
    for (const segment of segments(s.values)) {
      parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="${k === 0 ? 2.5 : 1.5}"${s.dashed ? ' stroke-dasharray="5 4"' : ''} points="${segment.map((i) => `${x(i)},${y(s.values[i]!)}`).join(' ')}"/>`);
    }
    s.values.forEach((v, i) => {
      if (v !== null) parts.push(`<circle class="datum" cx="${x(i)}" cy="${y(v)}" r="3" fill="${colour}"><title>${escapeXml(`${s.name}, ${frame.labels[i]}: ${format(v, frame.percent)}`)}</title></circle>`);
    });
    parts.push(legend(k, s.name, colour, s.dashed));
  });
  return svg(frame, parts);
}

export function stackedBarChart(frame: ChartFrame, stacks: readonly { name: string; values: readonly (number | null)[] }[]): string {
  const totals = frame.labels.map((_, i) => stacks.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  if (totals.every((t) => t === 0) && stacks.every((s) => s.values.every((v) => v === null))) return emptyChart(frame);
  const { x, y, axes, step } = scales(frame, Math.max(...totals, 1));
  const parts = [axes];
  const width = Math.max(4, step * 0.7);
  const base = frame.labels.map(() => 0);
  stacks.forEach((s, k) => {
    const colour = PALETTE[k % PALETTE.length]!;
    s.values.forEach((v, i) => {
      if (v === null || v === 0) return;
      const top = y(base[i]! + v);
      parts.push(`<rect class="datum" x="${x(i) - width / 2}" y="${top}" width="${width}" height="${y(base[i]!) - top}" fill="${colour}"><title>${escapeXml(`${s.name}, ${frame.labels[i]}: ${format(v)}`)}</title></rect>`);
      base[i]! += v;
    });
    parts.push(legend(k, s.name, colour));
  });
  return svg(frame, parts);
}

function scales(frame: ChartFrame, max: number) {
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const n = frame.labels.length;
  const step = plotW / Math.max(1, n);
  const top = frame.percent ? Math.min(1, niceCeil(max)) : niceCeil(max);
  const x = (i: number) => round(M.left + step * (i + 0.5));
  const y = (v: number) => round(M.top + plotH - (v / top) * plotH);
  const ticks = Array.from({ length: 5 }, (_, i) => (top * i) / 4);
  const every = Math.max(1, Math.ceil(n / 10));
  const axes = [
    ...ticks.map((t) => `<line class="grid" x1="${M.left}" x2="${M.left + plotW}" y1="${y(t)}" y2="${y(t)}"/><text x="${M.left - 6}" y="${y(t) + 4}" text-anchor="end">${format(t, frame.percent)}</text>`),
    ...frame.labels.map((label, i) => (i % every === 0 ? `<text x="${x(i)}" y="${M.top + plotH + 16}" text-anchor="middle">${escapeXml(label)}</text>` : '')),
    `<text x="${M.left + plotW / 2}" y="${H - 8}" text-anchor="middle" class="axis">week starting (UTC)</text>`,
    `<text transform="translate(14 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle" class="axis">${escapeXml(frame.yLabel)}</text>`,
    `<rect class="frame" x="${M.left}" y="${M.top}" width="${plotW}" height="${plotH}"/>`,
  ].join('');
  return { x, y, axes, step };
}

function band(low: readonly (number | null)[], high: readonly (number | null)[], x: (i: number) => number, y: (v: number) => number, colour: string): string {
  const idx = low.map((l, i) => (l !== null && high[i] !== null ? i : -1)).filter((i) => i >= 0);
  if (idx.length === 0) return '';
  const upper = idx.map((i) => `${x(i)},${y(high[i]!)}`);
  const lower = [...idx].reverse().map((i) => `${x(i)},${y(low[i]!)}`);
  return `<polygon class="band" fill="${colour}" fill-opacity="0.15" stroke="none" points="${[...upper, ...lower].join(' ')}"/>`;
}

/** Runs of consecutive values, so a withheld week breaks the line rather than bridging it. */
function segments(values: readonly (number | null)[]): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (run.length > 0) runs.push(run);
      run = [];
    } else run.push(i);
  });
  if (run.length > 0) runs.push(run);
  return runs;
}

function legend(k: number, name: string, colour: string, dashed?: boolean): string {
  const y = M.top + 8 + k * 18;
  return `<line x1="${W - M.right + 12}" x2="${W - M.right + 32}" y1="${y}" y2="${y}" stroke="${colour}" stroke-width="3"${dashed ? ' stroke-dasharray="5 4"' : ''}/><text x="${W - M.right + 38}" y="${y + 4}">${escapeXml(name)}</text>`;
}

function svg(frame: ChartFrame, parts: readonly string[]): string {
  return `<svg class="chart" role="img" aria-label="${escapeXml(frame.title)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

function emptyChart(frame: ChartFrame): string {
  return `<p class="empty">No figure to show for this period (no data, or every cell below the small-cell threshold).</p><!-- ${escapeXml(frame.title)} -->`;
}

export function format(value: number, percent?: boolean): string {
  if (percent) return `${(value * 100).toFixed(value < 0.1 && value > 0 ? 1 : 0)} %`;
  if (Number.isInteger(value)) return value.toLocaleString('en-GB');
  return value.toFixed(Math.abs(value) < 10 ? 2 : 1);
}

function niceCeil(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const nice = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * magnitude >= value)!;
  return nice * magnitude;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
