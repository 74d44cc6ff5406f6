// A hand-written SVG of latency distributions: percentile (x, "nines" log scale) against
// latency (y, log scale), one line per series, HDR-histogram style; optionally, below it, a panel
// of grouped horizontal bars (one group per measure, each on its own scale, one bar per service).

const COLORS = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#9333ea',
  '#ea580c',
  '#0891b2',
  '#4b5563',
  '#ca8a04',
  '#be185d',
  '#65a30d',
];

const escape = (text) =>
  String(text).replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c],
  );

/**
 * series: [{ label, points: [[percentile, ms], ...], dashed? }]
 * bars (optional): { title, services: [label, ...], measures: [{ label, values: [number|null,
 * one per service], digits? }] }
 */
export function latencyChart({ title, subtitle, series, bars }) {
  const width = 960;
  const plotHeight = 560;
  const barsHeight = bars ? barPanelHeight(bars) : 0;
  const height = plotHeight + barsHeight;
  const margin = { left: 70, right: 280, top: 60, bottom: 60 };
  const plotW = width - margin.left - margin.right;
  const plotH = plotHeight - margin.top - margin.bottom;
  const nines = (percentile) => Math.log10(1 / (1 - Math.min(percentile, 99.99) / 100));
  const maxX = 4; // 99.99 %
  const values = series.flatMap((s) => s.points.map(([, ms]) => ms)).filter((ms) => ms > 0);
  const minY = Math.max(0.1, 10 ** Math.floor(Math.log10(Math.min(...values, 1))));
  const maxY = 10 ** Math.ceil(Math.log10(Math.max(...values, 10)));
  const x = (percentile) => Number((margin.left + (nines(percentile) / maxX) * plotW).toFixed(1));
  const span = Math.log10(maxY) - Math.log10(minY);
  const y = (ms) => {
    const fraction = (Math.log10(Math.max(ms, minY)) - Math.log10(minY)) / span;
    return Number((margin.top + plotH - fraction * plotH).toFixed(1));
  };

  const parts = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
  );
  parts.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  parts.push(
    `<text x="${margin.left}" y="26" font-size="16" font-weight="600">${escape(title)}</text>`,
  );
  if (subtitle)
    parts.push(`<text x="${margin.left}" y="44" fill="#555">${escape(subtitle)}</text>`);

  for (const [percentile, label] of [
    [0, '0%'],
    [50, '50%'],
    [90, '90%'],
    [99, '99%'],
    [99.9, '99.9%'],
    [99.99, '99.99%'],
  ]) {
    const px = x(percentile);
    parts.push(
      `<line x1="${px}" y1="${margin.top}" x2="${px}" y2="${margin.top + plotH}" stroke="#e5e7eb"/>`,
    );
    parts.push(
      `<text x="${px}" y="${margin.top + plotH + 18}" text-anchor="middle" fill="#333">${label}</text>`,
    );
  }
  for (let decade = minY; decade <= maxY * 1.0001; decade *= 10) {
    const py = y(decade);
    parts.push(
      `<line x1="${margin.left}" y1="${py}" x2="${margin.left + plotW}" y2="${py}" stroke="#e5e7eb"/>`,
    );
    const label = decade >= 1000 ? `${decade / 1000} s` : `${decade} ms`;
    parts.push(
      `<text x="${margin.left - 8}" y="${py + 4}" text-anchor="end" fill="#333">${label}</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#9ca3af"/>`,
  );
  parts.push(
    `<text x="${margin.left + plotW / 2}" y="${plotHeight - 16}" text-anchor="middle" fill="#333">percentile</text>`,
  );
  parts.push(
    `<text x="18" y="${margin.top + plotH / 2}" transform="rotate(-90 18 ${margin.top + plotH / 2})" text-anchor="middle" fill="#333">latency (log)</text>`,
  );

  series.forEach((s, index) => {
    if (s.points.length === 0) return;
    const color = COLORS[index % COLORS.length];
    const path = s.points
      .map(([percentile, ms]) => `${x(percentile).toFixed(1)},${y(ms).toFixed(1)}`)
      .join(' ');
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${path}"/>`,
    );
    const ly = margin.top + 10 + index * 20;
    const lx = margin.left + plotW + 16;
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    parts.push(`<text x="${lx + 30}" y="${ly + 4}">${escape(s.label)}</text>`);
  });
  if (bars) parts.push(...barPanel(bars, plotHeight, width, margin.left));
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

const BAR = 14;
const BAR_GAP = 4;
const GROUP_GAP = 14;

const measuredIn = (measure) => measure.values.filter((value) => typeof value === 'number');

function barPanelHeight(bars) {
  return bars.measures.reduce(
    (height, measure) => height + measuredIn(measure).length * (BAR + BAR_GAP) + GROUP_GAP + 16,
    50,
  );
}

/** Grouped horizontal bars starting at `top`; each measure scaled to its own largest value. */
function barPanel(bars, top, width, left) {
  const parts = [];
  const labelW = 200;
  const barMax = width - left - labelW - 120;
  parts.push(
    `<text x="${left}" y="${top + 24}" font-size="14" font-weight="600">${escape(bars.title)}</text>`,
  );
  let y = top + 44;
  for (const measure of bars.measures) {
    const largest = Math.max(...measuredIn(measure), 0);
    parts.push(
      `<text x="${left}" y="${y + 10}" font-weight="600" fill="#333">${escape(measure.label)}</text>`,
    );
    y += 16;
    bars.services.forEach((service, index) => {
      const value = measure.values[index];
      // a service this measure was not taken for gets no row
      if (typeof value !== 'number') return;
      const color = COLORS[index % COLORS.length];
      parts.push(
        `<text x="${left + labelW - 8}" y="${y + BAR - 3}" text-anchor="end" fill="#333">${escape(service)}</text>`,
      );
      const w = largest > 0 ? Math.max(1, (value / largest) * barMax) : 1;
      parts.push(
        `<rect x="${left + labelW}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${color}"/>`,
      );
      const text = value.toLocaleString('en', { maximumFractionDigits: measure.digits ?? 1 });
      parts.push(
        `<text x="${(left + labelW + w + 6).toFixed(1)}" y="${y + BAR - 3}">${text}</text>`,
      );
      y += BAR + BAR_GAP;
    });
    y += GROUP_GAP;
  }
  return parts;
}
