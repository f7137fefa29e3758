import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatTime } from '../lib/format';

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  color: string;
  /** A dashed line (a second measure of the same thing, e.g. p50 beside p95). */
  dashed?: boolean;
  /** Mark each value: a line with gaps (no value in empty buckets) may have lone points. */
  points?: boolean;
}

interface TimeChartProps {
  title: string;
  /** Bucket starts, epoch seconds. */
  times: number[];
  series: ChartSeries[];
  format: (value: number) => string;
  /** What the chart shows, in words, for screen readers (the canvas itself says nothing). */
  summary: string;
  height?: number;
}

const AXIS = { stroke: '#334155', grid: { stroke: '#e2e8f0', width: 1 }, ticks: { show: false } };

/**
 * A time-series chart on uPlot (canvas, fast on thousands of points). The legend is ours,
 * not uPlot's table: it shows the hovered bucket's values and stays out of the page's tables.
 */
export function TimeChart({ title, times, series, format, summary, height = 200 }: TimeChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  const shape = series
    .map((s) => `${s.label}|${s.color}|${s.dashed ? 1 : 0}|${s.points ? 1 : 0}`)
    .join(';');
  const formatRef = useRef(format);
  formatRef.current = format;

  useEffect(() => {
    const element = holder.current;
    if (!element) return undefined;
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false } },
      scales: { x: { time: true } },
      axes: [
        AXIS,
        { ...AXIS, size: 70, values: (_u, ticks) => ticks.map((v) => formatRef.current(v)) },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          ...(s.dashed ? { dash: [6, 4] } : {}),
          ...(s.points ? { points: { show: true, size: 5 } } : {}),
          spanGaps: false,
        })),
      ],
      hooks: { setCursor: [(u: uPlot) => setHovered(u.cursor.idx ?? null)] },
    };
    const chart = new uPlot(options, [times, ...series.map((s) => s.values)], element);
    plot.current = chart;
    const resize = new ResizeObserver(() => {
      chart.setSize({ width: Math.max(200, element.clientWidth), height });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // Rebuilt only when the series change; new values go through setData below.
  }, [shape, height]);

  useEffect(() => {
    plot.current?.setData([times, ...series.map((s) => s.values)]);
  }, [times, series]);

  const at = hovered !== null && hovered < times.length ? hovered : null;
  return (
    <figure class="chart">
      <figcaption>
        <span class="chart-title">{title}</span>
        <span class="chart-at" aria-hidden="true">
          {at !== null ? formatTime(times[at] * 1_000) : ''}
        </span>
      </figcaption>
      <ul class="legend" aria-hidden="true">
        {series.map((s) => {
          const value = at !== null ? s.values[at] : null;
          return (
            <li key={s.label}>
              <span
                class={s.dashed ? 'swatch swatch-dashed' : 'swatch'}
                style={{
                  borderColor: s.color,
                  backgroundColor: s.dashed ? 'transparent' : s.color,
                }}
              />
              {s.label}
              {at !== null ? (
                <span class="legend-value">{value === null ? '—' : format(value)}</span>
              ) : null}
            </li>
          );
        })}
      </ul>
      <div ref={holder} class="chart-canvas" />
      <p class="visually-hidden">{summary}</p>
    </figure>
  );
}
