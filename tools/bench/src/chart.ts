import type { Point, RunReport } from './model';

/**
 * Hand-made SVG line charts (no chart library): throughput and p99 latency against
 * concurrency, one line per series, concurrency on a log₂ axis, p99 on a log₁₀ axis.
 */
interface Series {
  name: string;
  color: string;
  dash?: string;
  points: { x: number; y: number }[];
}

/** A series with its throughput (`points`) and its p99 latency. */
type SeriesPair = Series & { p99: Series['points'] };

const W = 900;
const H = 360;
const PANEL = { width: 380, height: 250, top: 60, left: [70, 520] as const };
const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (value: number) =>
  value >= 100 ? Math.round(value).toLocaleString('en-US') : value >= 10 ? value.toFixed(0) : value.toFixed(1);

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((m) => m >= value) ?? 10 * power;
}

function panel(left: number, title: string, xs: number[], series: Series[], logY: boolean, unit: string): string {
  const { width, height, top } = PANEL;
  const all = series.flatMap((s) => s.points.map((p) => p.y)).filter((y) => y > 0 && Number.isFinite(y));
  const lo = logY ? 10 ** Math.floor(Math.log10(Math.min(...all, 1))) : 0;
  const hi = logY ? 10 ** Math.ceil(Math.log10(Math.max(...all, 1))) : niceMax(Math.max(...all, 1));
  const xAt = (x: number) => left + (xs.length === 1 ? width / 2 : (xs.indexOf(x) / (xs.length - 1)) * width);
  const yAt = (y: number) =>
    top + height - (logY ? (Math.log10(Math.max(y, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : y / hi) * height;
  const ticks = logY
    ? Array.from({ length: Math.round(Math.log10(hi / lo)) + 1 }, (_, i) => lo * 10 ** i)
    : Array.from({ length: 6 }, (_, i) => (hi / 5) * i);
  const out: string[] = [`<text x="${left + width / 2}" y="${top - 10}" text-anchor="middle" font-weight="bold">${esc(title)}</text>`];
  for (const tick of ticks) {
    const y = yAt(tick);
    out.push(`<line x1="${left}" x2="${left + width}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${num(tick)}</text>`);
  }
  for (const x of xs) {
    out.push(`<line x1="${xAt(x)}" x2="${xAt(x)}" y1="${top}" y2="${top + height}" stroke="#eee"/>`);
    out.push(`<text x="${xAt(x)}" y="${top + height + 16}" text-anchor="middle" font-size="11">${x}</text>`);
  }
  out.push(`<rect x="${left}" y="${top}" width="${width}" height="${height}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${left + width / 2}" y="${top + height + 34}" text-anchor="middle" font-size="12">concurrent connections</text>`);
  out.push(
    `<text transform="translate(${left - 48} ${top + height / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(unit)}${logY ? ' (log scale)' : ''}</text>`,
  );
  for (const s of series) {
    const pts = s.points.filter((p) => xs.includes(p.x) && p.y > 0).sort((a, b) => a.x - b.x);
    if (!pts.length) continue;
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} points="${pts.map((p) => `${xAt(p.x).toFixed(1)},${yAt(p.y).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const p of pts) {
      out.push(
        `<circle cx="${xAt(p.x).toFixed(1)}" cy="${yAt(p.y).toFixed(1)}" r="3" fill="${s.color}"><title>${esc(`${s.name}, c=${p.x}: ${num(p.y)} ${unit}`)}</title></circle>`,
      );
    }
  }
  return out.join('\n');
}

function chart(title: string, subtitle: string, series: SeriesPair[], xs: number[]): string {
  const legend = series
    .map((s, i) => {
      const x = 70 + i * 200;
      return `<line x1="${x}" x2="${x + 24}" y1="${H - 14}" y2="${H - 14}" stroke="${s.color}" stroke-width="3"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/><text x="${x + 30}" y="${H - 10}" font-size="12">${esc(s.name)}</text>`;
    })
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="${W / 2}" y="34" text-anchor="middle" font-size="11" fill="#555">${esc(subtitle)}</text>`,
    panel(PANEL.left[0], 'Throughput', xs, series, false, 'operations/s'),
    panel(
      PANEL.left[1],
      'p99 latency',
      xs,
      series.map((s) => ({ ...s, points: s.p99 })),
      true,
      'ms',
    ),
    legend,
    '</svg>',
    '',
  ].join('\n');
}

function seriesOf(
  points: Point[],
  scenario: string,
  series: string,
  name: string,
  color: string,
  dash?: string,
): Series & { p99: Series['points'] } {
  const mine = points.filter((p) => p.scenario === scenario && p.series === series && !p.id.startsWith('replicas/'));
  return {
    name,
    color,
    dash,
    points: mine.map((p) => ({ x: p.concurrency, y: p.summary.perSecond })),
    p99: mine.map((p) => ({ x: p.concurrency, y: p.summary.p99 })),
  };
}

const subtitle = (report: RunReport) =>
  `${report.startedAt.toISOString().slice(0, 16)}Z · ${report.machine.cores} cores · ${report.machine.postgres} · one API process · ${report.options.durationSeconds} s per point`;

export function refreshChart(report: RunReport): string {
  return chart(
    'Refresh: API vs framework-free reference vs pgbench (same statement, prepared)',
    subtitle(report),
    [
      seriesOf(report.points, 'refresh', 'API', 'API (POST /api/auth/refresh)', '#1f77b4'),
      seriesOf(report.points, 'refresh', 'reference', 'reference server', '#2ca02c'),
      seriesOf(report.points, 'refresh', 'pgbench', 'pgbench -M prepared', '#ff7f0e', '6 4'),
    ],
    report.options.concurrencies,
  );
}

export function readsChart(report: RunReport): string {
  return chart(
    'Guarded read vs health, same API process',
    subtitle(report),
    [
      seriesOf(report.points, 'guarded read', 'guarded read', 'GET /api/auth/me', '#9467bd'),
      seriesOf(report.points, 'guarded read', 'health', 'GET /api/health', '#8c564b', '6 4'),
    ],
    report.options.concurrencies,
  );
}
