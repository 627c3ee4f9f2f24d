// Expected income by month as stacked bars by kind, with the band (low and high) as two lines, drawn by
// Chart.js (registered by the monthly chart's module). Heights are minor units as canvas coordinates; every
// figure shown as text (ticks, tooltips) is formatted from the API's exact strings.
import { Chart, type ChartConfiguration } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import type { Schemas } from '../../api/client';
import { decimalOf, digitsOf, formatDate, formatMoney, minorOf } from '../../format';
import { KIND_COLOURS } from '../person/monthly-chart';

type Month = Schemas['ForecastMonthAnswer'];
type Key = 'oneOff' | 'residual' | 'passive' | 'low' | 'high';
const BAND_COLOUR = '#5b6472';

function configuration(months: Month[], currency: string): ChartConfiguration<'bar' | 'line'> {
  const digits = digitsOf(months[0]?.total ?? '0');
  const series = (key: Key) => months.map((m) => Number(minorOf(m[key])));
  const bars = (key: 'oneOff' | 'residual' | 'passive', label: string) => ({
    type: 'bar' as const,
    label,
    data: series(key),
    backgroundColor: KIND_COLOURS[key],
    stack: 'expected',
  });
  const band = (key: 'low' | 'high', label: string) => ({
    type: 'line' as const,
    label,
    data: series(key),
    borderColor: BAND_COLOUR,
    borderDash: key === 'low' ? [4, 4] : [],
    pointRadius: 0,
  });
  const keys: Key[] = ['oneOff', 'residual', 'passive', 'low', 'high'];
  return {
    type: 'bar',
    data: {
      labels: months.map((m) => formatDate(m.to)),
      datasets: [
        bars('oneOff', 'One-off'),
        bars('residual', 'Residual'),
        bars('passive', 'Passive'),
        band('low', 'Band low'),
        band('high', 'Band high'),
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true },
        y: {
          stacked: true,
          ticks: { callback: (v) => formatMoney(decimalOf(BigInt(Math.round(Number(v))), digits), currency) },
        },
      },
      plugins: {
        tooltip: {
          callbacks: {
            label: (item) =>
              `${item.dataset.label}: ${formatMoney(months[item.dataIndex]![keys[item.datasetIndex]!], currency)}`,
          },
        },
      },
    },
  };
}

export function ForecastChart({ months, currency }: { months: Month[]; currency: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current === null) return;
    const chart = new Chart(canvas.current, configuration(months, currency));
    return () => chart.destroy();
  }, [months, currency]);
  return (
    <div class="chart">
      <canvas
        ref={canvas}
        role="img"
        aria-label={`Expected income by month in ${currency}, stacked by kind, with the band as two lines; the same figures are in the table below`}
      />
    </div>
  );
}
