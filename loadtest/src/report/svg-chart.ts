/** Dependency-free SVG line charts for the self-contained HTML report (the network may be closed). */
import { formatTick, linearAxis, logAxis, type Axis } from './axis-ticks.js';

/** How a series is drawn; the four are told apart by shape as well as colour, even where they overlap. */
export type SeriesStyle = 'solid' | 'dashed' | 'dotted' | 'points';

export interface Series {
  name: string;
  points: [number, number][];
  style?: SeriesStyle;
  color?: string;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  logY?: boolean;
  /** The y values count things (messages, requests): whole-number ticks. */
  integerY?: boolean;
  /** Custom x tick labels (value → text), e.g. percentiles on a "nines" axis. */
  xTicks?: { value: number; label: string }[];
}

/** The drawing's own units; the SVG scales to the width of the page. */
export const VIEW = { width: 960, height: 320 } as const;
export const MARGIN = { top: 32, right: 200, bottom: 44, left: 64 } as const;
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const DASH: Record<SeriesStyle, string> = { solid: '', dashed: ' stroke-dasharray="7 4"', dotted: ' stroke-dasharray="2 3"', points: '' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function lineChart(spec: ChartSpec): string {
  const usable = ([, y]: [number, number]) => Number.isFinite(y) && (!spec.logY || y > 0);
  const all = spec.series.flatMap((s) => s.points).filter(usable);
  if (all.length === 0) return `<p class="empty">${escapeXml(spec.title)}: no data.</p>`;
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const x = spec.xTicks
    ? { min: Math.min(...spec.xTicks.map((t) => t.value)), max: Math.max(...spec.xTicks.map((t) => t.value)), ticks: spec.xTicks.map((t) => t.value) }
    : linearAxis(Math.min(...xs), Math.max(...xs), { target: 8, fromZero: false });
  const y: Axis = spec.logY ? logAxis(Math.min(...ys), Math.max(...ys)) : linearAxis(Math.min(...ys), Math.max(...ys), { integer: spec.integerY });
  const plotW = VIEW.width - MARGIN.left - MARGIN.right;
  const plotH = VIEW.height - MARGIN.top - MARGIN.bottom;
  const fy = spec.logY ? Math.log10 : (v: number) => v;
  const sx = (v: number) => MARGIN.left + ((v - x.min) / (x.max - x.min || 1)) * plotW;
  const sy = (v: number) => MARGIN.top + plotH - ((fy(v) - fy(y.min)) / (fy(y.max) - fy(y.min) || 1)) * plotH;
  const xLabel = (v: number) => spec.xTicks?.find((t) => t.value === v)?.label ?? formatTick(v);

  const parts: string[] = [`<text x="${VIEW.width / 2}" y="18" text-anchor="middle" class="title">${escapeXml(spec.title)}</text>`];
  for (const v of y.ticks) {
    const py = sy(v).toFixed(1);
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${py}" y2="${py}" class="grid"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${Number(py) + 4}" text-anchor="end" class="tick">${formatTick(v)}</text>`);
  }
  for (const v of x.ticks) {
    const px = sx(v).toFixed(1);
    parts.push(`<line x1="${px}" x2="${px}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" class="grid"/>`);
    parts.push(`<text x="${px}" y="${MARGIN.top + plotH + 16}" text-anchor="middle" class="tick">${escapeXml(xLabel(v))}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" class="frame"/>`);
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${VIEW.height - 6}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`);
  spec.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const style = s.style ?? 'solid';
    const pts = s.points.filter(usable);
    parts.push(`<g class="series" data-series="${escapeXml(s.name)}" data-points="${pts.length}">${drawSeries(pts, style, color, sx, sy)}</g>`);
    parts.push(legendEntry(s.name, style, color, MARGIN.top + 10 + i * 18));
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${VIEW.width} ${VIEW.height}" width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="${escapeXml(spec.title)}">${parts.join('')}</svg>`;
}

function drawSeries(pts: [number, number][], style: SeriesStyle, color: string, sx: (v: number) => number, sy: (v: number) => number): string {
  if (pts.length === 0) return '';
  if (style === 'points') return pts.map(([x, y]) => `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2.5" fill="${color}"/>`).join('');
  const d = pts.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
  return `<path d="${d}" fill="none" stroke="${color}" stroke-width="${style === 'solid' ? 1.6 : 2}"${DASH[style]}/>`;
}

function legendEntry(name: string, style: SeriesStyle, color: string, ly: number): string {
  const x0 = VIEW.width - MARGIN.right + 14;
  const mark =
    style === 'points'
      ? `<circle cx="${x0 + 10}" cy="${ly}" r="3" fill="${color}"/>`
      : `<line x1="${x0}" x2="${x0 + 22}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${DASH[style]}/>`;
  return `${mark}<text x="${x0 + 28}" y="${ly + 4}">${escapeXml(name)}</text>`;
}
