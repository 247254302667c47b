/** Dependency-free SVG line charts for the self-contained HTML report (the network may be closed). */

export interface Series {
  name: string;
  points: [number, number][];
  dashed?: boolean;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  logY?: boolean;
  /** Custom x tick labels (value → text), e.g. percentiles on a "nines" axis. */
  xTicks?: { value: number; label: string }[];
}

const WIDTH = 760;
const HEIGHT = 300;
const M = { top: 32, right: 170, bottom: 44, left: 64 };
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function lineChart(spec: ChartSpec): string {
  const all = spec.series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y) && (!spec.logY || y > 0));
  if (all.length === 0) return `<p class="empty">${escapeXml(spec.title)}: no data.</p>`;
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs) === xMin ? xMin + 1 : Math.max(...xs);
  const fy = spec.logY ? Math.log10 : (v: number) => v;
  const yLo = spec.logY ? Math.floor(Math.log10(Math.min(...ys))) : 0;
  const yHiRaw = spec.logY ? Math.ceil(Math.log10(Math.max(...ys))) : niceCeil(Math.max(...ys));
  const yHi = yHiRaw === yLo ? yLo + 1 : yHiRaw;
  const plotW = WIDTH - M.left - M.right;
  const plotH = HEIGHT - M.top - M.bottom;
  const sx = (x: number) => M.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const sy = (y: number) => M.top + plotH - ((fy(y) - yLo) / (yHi - yLo)) * plotH;

  const parts: string[] = [];
  parts.push(`<text x="${WIDTH / 2}" y="18" text-anchor="middle" class="title">${escapeXml(spec.title)}</text>`);
  const yTicks = spec.logY
    ? Array.from({ length: yHi - yLo + 1 }, (_, i) => 10 ** (yLo + i))
    : Array.from({ length: 6 }, (_, i) => (yHi * i) / 5);
  for (const v of yTicks) {
    const y = sy(v);
    parts.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${y}" y2="${y}" class="grid"/>`);
    parts.push(`<text x="${M.left - 6}" y="${y + 4}" text-anchor="end">${formatTick(v)}</text>`);
  }
  const xTicks = spec.xTicks ?? niceTicks(xMin, xMax).map((value) => ({ value, label: formatTick(value) }));
  for (const t of xTicks) {
    const x = sx(t.value);
    parts.push(`<line x1="${x}" x2="${x}" y1="${M.top}" y2="${M.top + plotH}" class="grid"/>`);
    parts.push(`<text x="${x}" y="${M.top + plotH + 16}" text-anchor="middle">${escapeXml(t.label)}</text>`);
  }
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${plotW}" height="${plotH}" class="frame"/>`);
  parts.push(`<text x="${M.left + plotW / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`);
  spec.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const pts = s.points.filter(([, y]) => Number.isFinite(y) && (!spec.logY || y > 0));
    if (pts.length > 0) {
      const d = pts.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
      parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    }
    const ly = M.top + 10 + i * 16;
    parts.push(`<line x1="${WIDTH - M.right + 12}" x2="${WIDTH - M.right + 30}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    parts.push(`<text x="${WIDTH - M.right + 34}" y="${ly + 4}">${escapeXml(s.name)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeXml(spec.title)}">${parts.join('')}</svg>`;
}

function niceTicks(min: number, max: number): number[] {
  const step = niceCeil((max - min) / 6);
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(v);
  return ticks;
}

function niceCeil(v: number): number {
  if (v <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= v) return step * magnitude;
  return 10 * magnitude;
}

function formatTick(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1_000) return `${+(v / 1_000).toFixed(1)}k`;
  if (Math.abs(v) < 1) return String(+v.toPrecision(2));
  return String(+v.toFixed(1));
}
