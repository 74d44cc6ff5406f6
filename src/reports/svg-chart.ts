import type { TimeseriesPoint } from './report.read-model.js';

/**
 * A report's time series drawn as an SVG bar chart (no library: a few rectangles, lines and
 * labels). Durations are shown in minutes, counts as they are.
 */
export interface ChartOptions {
  title: string;
  /** Averages are seconds; the chart shows minutes. */
  duration: boolean;
  /** Offset of the reader's zone, seconds east of UTC: period labels are local dates. */
  offsetSeconds: number;
}

const WIDTH = 720;
const HEIGHT = 320;
const MARGIN = { top: 40, right: 20, bottom: 50, left: 60 };

function escape(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** 1, 2 or 5 times a power of ten: a readable step for about five gridlines. */
function niceStep(max: number): number {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= rough) ?? power * 10;
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

export function renderChart(points: TimeseriesPoint[], options: ChartOptions): string {
  const values = points.map((p) => (options.duration ? p.value / 60 : p.value));
  const max = Math.max(1, ...values);
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotWidth / Math.max(1, points.length);
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="14" font-weight="bold" fill="#1f2937">${escape(options.title)}${options.duration ? ' (minutes)' : ''}</text>`,
  ];
  for (let tick = 0; tick <= top; tick += step) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e5e7eb"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(tick) + 4}" text-anchor="end" fill="#6b7280">${format(tick)}</text>`,
    );
  }
  const labelEvery = Math.max(1, Math.ceil(points.length / 12));
  points.forEach((point, i) => {
    const x = MARGIN.left + i * slot;
    const value = values[i];
    const barWidth = Math.max(1, slot * 0.7);
    parts.push(
      `<rect x="${(x + (slot - barWidth) / 2).toFixed(1)}" y="${y(value).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(MARGIN.top + plotHeight - y(value)).toFixed(1)}" fill="#2563eb"><title>${format(value)}</title></rect>`,
    );
    if (i % labelEvery === 0) {
      const local = new Date((point.timestamp + options.offsetSeconds) * 1000)
        .toISOString()
        .slice(0, 10);
      parts.push(
        `<text x="${(x + slot / 2).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" fill="#6b7280">${local.slice(5)}</text>`,
      );
    }
  });
  parts.push(
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight}" stroke="#9ca3af"/>`,
    '</svg>',
  );
  return parts.join('\n');
}
