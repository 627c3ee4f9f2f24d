// Income by month as stacked bars (one-off, residual, passive) with the recurring share as a line, drawn by
// Chart.js. Bar heights are minor units as canvas coordinates; every figure shown as text (ticks,
// tooltips) is formatted from the API's exact strings.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import type { Schemas } from '../../api/client';
import { decimalOf, formatMoney, formatMonth, formatShare, minorOf } from '../../format';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  Legend,
);

type Month = Schemas['MonthIncomeDto'];

export const KIND_COLOURS = { oneOff: '#3b6ea8', residual: '#2f8548', passive: '#b8620f', share: '#b3261e' } as const;

function configuration(months: Month[], currency: string, digits: number): ChartConfiguration<'bar' | 'line'> {
  const bars = (key: 'oneOff' | 'residual' | 'passive', label: string) => ({
    type: 'bar' as const,
    label,
    data: months.map((m) => Number(minorOf(m[key]))),
    backgroundColor: KIND_COLOURS[key],
    stack: 'income',
    yAxisID: 'y',
  });
  const share = months.map((m) => {
    const total = minorOf(m.total);
    return total > 0n ? Number((minorOf(m.recurring) * 10_000n) / total) / 10_000 : null;
  });
  const text = (minor: number) => formatMoney(decimalOf(BigInt(Math.round(minor)), digits), currency);
  return {
    type: 'bar',
    data: {
      labels: months.map((m) => formatMonth(m.month)),
      datasets: [
        bars('oneOff', 'One-off'),
        bars('residual', 'Residual'),
        bars('passive', 'Passive'),
        {
          type: 'line' as const,
          label: 'Recurring share',
          data: share,
          borderColor: KIND_COLOURS.share,
          backgroundColor: KIND_COLOURS.share,
          yAxisID: 'share',
          spanGaps: false,
        },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true },
        y: { stacked: true, ticks: { callback: (value) => text(Number(value)) } },
        share: {
          position: 'right',
          min: 0,
          max: 1,
          grid: { drawOnChartArea: false },
          ticks: { callback: (value) => formatShare(BigInt(Math.round(Number(value) * 100)), 100n) },
        },
      },
      plugins: {
        tooltip: {
          callbacks: {
            label: (item) => {
              const m = months[item.dataIndex]!;
              if (item.dataset.yAxisID === 'share')
                return `Recurring share: ${formatShare(minorOf(m.recurring), minorOf(m.total))}`;
              const key = (['oneOff', 'residual', 'passive'] as const)[item.datasetIndex]!;
              return `${item.dataset.label}: ${formatMoney(m[key], currency)}`;
            },
          },
        },
      },
    },
  };
}

export function MonthlyChart({ months, currency, digits }: { months: Month[]; currency: string; digits: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current === null) return;
    const chart = new Chart(canvas.current, configuration(months, currency, digits));
    return () => chart.destroy();
  }, [months, currency, digits]);
  return (
    <div class="chart">
      <canvas
        ref={canvas}
        role="img"
        aria-label={`Income by month in ${currency}, stacked by kind, with the recurring share as a line; the same figures are in the table below`}
      />
    </div>
  );
}
