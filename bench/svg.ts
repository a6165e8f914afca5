/**
 * The scale curve as a picture: median latency (log scale) against catalogue
 * size (log scale), one line per target, case and mode: match_automations
 * solid, the exact scan dashed; a colour per target and case. Plain SVG
 * written by hand (no dependency), readable in a browser and on GitHub.
 * curveSvg is pure.
 */
import type { CurvePoint } from './curve.js';

export interface Series {
  /** "server, unfiltered, match_automations" */
  label: string;
  colour: string;
  dashed: boolean;
  points: { x: number; y: number }[];
}

const WIDTH = 940;
const HEIGHT = 460;
const MARGIN = { left: 84, right: 320, top: 50, bottom: 60 };
/** a colour per target and case, told apart also without colour by the legend's order */
const COLOURS: Record<string, string> = {
  'server unfiltered': '#1f77b4',
  'server category': '#2ca02c',
  'embedded unfiltered': '#d62728',
  'embedded category': '#ff7f0e',
};
const FALLBACK = ['#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

/** The lines of the picture: per target and case, the function's and the exact scan's medians by size. Pure. */
export function curveSeries(points: CurvePoint[]): Series[] {
  const series: Series[] = [];
  const keys = [...new Set(points.flatMap((p) => p.cases.map((c) => `${p.target} ${c.name}`)))];
  for (const [k, key] of keys.entries()) {
    const [target, name] = [key.slice(0, key.lastIndexOf(' ')), key.slice(key.lastIndexOf(' ') + 1)];
    const rows = points
      .filter((p) => p.target === target)
      .sort((a, b) => a.automations - b.automations)
      .flatMap((p) => p.cases.filter((c) => c.name === name).map((c) => ({ size: p.automations, c })));
    const colour = COLOURS[key] ?? FALLBACK[k % FALLBACK.length]!;
    series.push(
      { label: `${target}, ${name}, match_automations`, colour, dashed: false, points: rows.map((r) => ({ x: r.size, y: r.c.functionMs.median })) },
      { label: `${target}, ${name}, exact scan`, colour, dashed: true, points: rows.map((r) => ({ x: r.size, y: r.c.exactMs.median })) },
    );
  }
  return series;
}

/** 1, 2, 5, 10, 20, 50, ... covering [low, high]. Pure. */
export function logTicks(low: number, high: number): number[] {
  const ticks: number[] = [];
  for (let decade = Math.floor(Math.log10(low)); decade <= Math.ceil(Math.log10(high)); decade++) {
    for (const m of [1, 2, 5]) {
      const t = m * 10 ** decade;
      if (t >= low * 0.999 && t <= high * 1.001) ticks.push(Number(t.toPrecision(6)));
    }
  }
  return ticks;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const count = (n: number) => (n >= 1000 ? `${n / 1000}k` : `${n}`);
const msLabel = (n: number) => `${n} ms`;

/** The whole SVG document. Pure. */
export function curveSvg(series: Series[], title: string): string {
  const all = series.flatMap((s) => s.points).filter((p) => p.y > 0 && Number.isFinite(p.y));
  // an empty picture still gets axes
  const xs = all.length > 0 ? all.map((p) => p.x) : [1_000];
  const ys = all.length > 0 ? all.map((p) => p.y) : [1];
  const xLow = Math.min(...xs) / 1.4;
  const xHigh = Math.max(...xs) * 1.4;
  const yLow = 10 ** Math.floor(Math.log10(Math.min(...ys, 1)));
  const yHigh = 10 ** Math.ceil(Math.log10(Math.max(...ys, 1) * 1.0001));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (v: number) => MARGIN.left + ((Math.log10(v) - Math.log10(xLow)) / (Math.log10(xHigh) - Math.log10(xLow))) * plotW;
  const y = (v: number) => MARGIN.top + plotH - ((Math.log10(v) - Math.log10(yLow)) / (Math.log10(yHigh) - Math.log10(yLow))) * plotH;
  const f = (v: number) => v.toFixed(1);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${MARGIN.left}" y="28" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  // grid and axes
  for (const t of logTicks(yLow, yHigh)) {
    out.push(
      `<line x1="${MARGIN.left}" y1="${f(y(t))}" x2="${MARGIN.left + plotW}" y2="${f(y(t))}" stroke="#e6e6e6"/>`,
      `<text x="${MARGIN.left - 6}" y="${f(y(t) + 4)}" text-anchor="end">${escapeXml(msLabel(t))}</text>`,
    );
  }
  for (const t of [...new Set(xs)].sort((a, b) => a - b)) {
    out.push(
      `<line x1="${f(x(t))}" y1="${MARGIN.top}" x2="${f(x(t))}" y2="${MARGIN.top + plotH}" stroke="#e6e6e6"/>`,
      `<text x="${f(x(t))}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${escapeXml(count(t))}</text>`,
    );
  }
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 16}" text-anchor="middle">published automations (log scale)</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">median latency per search (log scale)</text>`,
  );
  // the lines, each point marked, and the legend
  for (const [i, s] of series.entries()) {
    const points = s.points.filter((p) => p.y > 0 && Number.isFinite(p.y));
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<g class="series" data-label="${escapeXml(s.label)}">`);
    out.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="2"${dash} points="${points.map((p) => `${f(x(p.x))},${f(y(p.y))}`).join(' ')}"/>`);
    for (const p of points) {
      out.push(
        s.dashed
          ? `<rect x="${f(x(p.x) - 3.5)}" y="${f(y(p.y) - 3.5)}" width="7" height="7" fill="white" stroke="${s.colour}" stroke-width="2"/>`
          : `<circle cx="${f(x(p.x))}" cy="${f(y(p.y))}" r="3.5" fill="${s.colour}"/>`,
      );
    }
    const ly = MARGIN.top + 10 + i * 20;
    const lx = MARGIN.left + plotW + 16;
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 28}" y2="${ly}" stroke="${s.colour}" stroke-width="2"${dash}/>`,
      `<text x="${lx + 34}" y="${ly + 4}">${escapeXml(s.label)}</text>`,
      '</g>',
    );
  }
  out.push('</svg>', '');
  return out.join('\n');
}
