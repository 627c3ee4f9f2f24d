// What the forecast routes answer: the OpenAPI shapes and the mapping from the pure results.
// Every amount is an expected value rounded half to even to the currency's minor units, once, here.
import { ApiProperty } from '@nestjs/swagger';
import { ExpectedMoney } from '../../shared/money.js';
import type { Forecast, ForecastMonth, ForecastScope } from './forecast.js';
import type { SurvivalCurve } from './survival.js';
import type { CurrencyValuation, ValuationOptions } from './valuation.js';

const MONEY = { example: '12.50', description: 'Expected value, rounded half to even to minor units' };
export const ROUNDING =
  'expected values are exact until shown, then rounded half to even to the currency minor units, each figure on its own';

export class ForecastMonthAnswer {
  @ApiProperty({ description: 'Months after the as-of time, from 1' }) month!: number;
  @ApiProperty({ description: 'Start of the month, exclusive' }) from!: string;
  @ApiProperty({ description: 'End of the month, inclusive' }) to!: string;
  @ApiProperty(MONEY) oneOff!: string;
  @ApiProperty(MONEY) residual!: string;
  @ApiProperty(MONEY) passive!: string;
  @ApiProperty(MONEY) total!: string;
  @ApiProperty({ ...MONEY, description: 'Lower edge of the band (bootstrap percentile of the total)' }) low!: string;
  @ApiProperty({ ...MONEY, description: 'Upper edge of the band (bootstrap percentile of the total)' }) high!: string;
}

export class ForecastTotalAnswer {
  @ApiProperty(MONEY) oneOff!: string;
  @ApiProperty(MONEY) residual!: string;
  @ApiProperty(MONEY) passive!: string;
  @ApiProperty(MONEY) total!: string;
}

export class CurrencyForecastAnswer {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ type: [ForecastMonthAnswer] }) months!: ForecastMonthAnswer[];
  @ApiProperty({ type: ForecastTotalAnswer, description: 'The whole horizon, summed exactly, rounded once' })
  horizon!: ForecastTotalAnswer;
}

export class BandAnswer {
  @ApiProperty({ example: 80 }) percent!: number;
  @ApiProperty({ example: 10 }) lowPercentile!: number;
  @ApiProperty({ example: 90 }) highPercentile!: number;
  @ApiProperty({ example: 200 }) resamples!: number;
  @ApiProperty({ example: 1 }) seed!: number;
}

export class RetentionSummaryAnswer {
  @ApiProperty({ example: '(all)' }) product!: string;
  @ApiProperty() subscriptions!: number;
  @ApiProperty({ description: 'Pooled monthly hazard used past the well-observed ages' }) tailHazard!: number;
}

export class ScopeAnswer {
  @ApiProperty({ enum: ['person', 'branch', 'programme'] }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) personId!: string | null;
}

export class ForecastAnswer {
  @ApiProperty({ type: ScopeAnswer }) scope!: ScopeAnswer;
  @ApiProperty({ description: 'The global position the forecast was made as of', example: '42' }) position!: string;
  @ApiProperty({
    description: 'The latest business time the log had reached there (null: none yet)',
    nullable: true,
    type: String,
  })
  asOfTime!: string | null;
  @ApiProperty() horizonMonths!: number;
  @ApiProperty({ type: BandAnswer }) band!: BandAnswer;
  @ApiProperty({ description: 'Subscriptions the scope earns on that are still running' }) running!: number;
  @ApiProperty({ description: 'Subscriptions the scope earned on that have ended' }) ended!: number;
  @ApiProperty({ description: 'Future renewals priced through the income fold' }) renewalsPriced!: number;
  @ApiProperty({ type: [RetentionSummaryAnswer] }) retention!: RetentionSummaryAnswer[];
  @ApiProperty({ example: ROUNDING }) rounding!: string;
  @ApiProperty({ type: [CurrencyForecastAnswer] }) currencies!: CurrencyForecastAnswer[];
}

export class CurrencyValuationAnswer {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ ...MONEY, description: 'Σ E_t (1+r)^(−t/12) over the horizon' }) presentValueOfForecast!: string;
  @ApiProperty({ ...MONEY, description: 'Y: forecast income of the last 12 months of the horizon' })
  finalYearIncome!: string;
  @ApiProperty({ ...MONEY, description: 'CV = Y ω / (1 + r − ω), at the end of the horizon' }) continuingValue!: string;
  @ApiProperty({ ...MONEY, description: 'CV (1+r)^(−H/12)' }) presentValueOfContinuingValue!: string;
  @ApiProperty({ ...MONEY, description: 'Book value: the two present values added' }) bookValue!: string;
  @ApiProperty({ ...MONEY, description: 'Lower edge of the band of the book value' }) low!: string;
  @ApiProperty({ ...MONEY, description: 'Upper edge of the band of the book value' }) high!: string;
}

export class ValuationAnswer extends ForecastAnswer {
  @ApiProperty({ example: '0.10' }) requiredRate!: string;
  @ApiProperty({ example: '0.5' }) persistence!: string;
  @ApiProperty({ example: 'multistage residual-income model, continuing value with persistence ω' }) model!: string;
  @ApiProperty({ type: [CurrencyValuationAnswer] }) valuation!: CurrencyValuationAnswer[];
}

export class SurvivalPointAnswer {
  @ApiProperty({ description: 'Renewal number (age in whole months)' }) age!: number;
  @ApiProperty() atRisk!: number;
  @ApiProperty() ended!: number;
  @ApiProperty({ description: 'Kaplan–Meier probability of paying this renewal' }) survival!: number;
}

export class SurvivalCurveAnswer extends RetentionSummaryAnswer {
  @ApiProperty({ type: [SurvivalPointAnswer] }) points!: SurvivalPointAnswer[];
}

export class RetentionAnswer {
  @ApiProperty() position!: string;
  @ApiProperty({ nullable: true, type: String }) asOfTime!: string | null;
  @ApiProperty({ type: SurvivalCurveAnswer }) overall!: SurvivalCurveAnswer;
  @ApiProperty({ type: [SurvivalCurveAnswer] }) byProduct!: SurvivalCurveAnswer[];
  @ApiProperty() productSubscriptionsMin!: number;
  @ApiProperty() atRiskMin!: number;
}

function scopeAnswer(scope: ForecastScope): ScopeAnswer {
  return { kind: scope.kind, personId: scope.kind === 'programme' ? null : scope.personId };
}

export function forecastAnswer(f: Forecast): ForecastAnswer {
  const lowPercentile = (100 - f.options.bandPercent) / 2;
  return {
    scope: scopeAnswer(f.scope),
    position: f.position,
    asOfTime: f.asOfTime,
    horizonMonths: f.options.horizonMonths,
    band: {
      percent: f.options.bandPercent,
      lowPercentile,
      highPercentile: 100 - lowPercentile,
      resamples: f.options.resamples,
      seed: f.options.seed,
    },
    running: f.running,
    ended: f.ended,
    renewalsPriced: f.renewalsPriced,
    retention: [f.retention.overall, ...f.retention.byProduct.values()].map(summary),
    rounding: ROUNDING,
    currencies: f.currencies.map((c) => {
      const sum = (pick: (m: ForecastMonth) => ExpectedMoney) =>
        c.months
          .map(pick)
          .reduce((a, b) => a.plus(b), ExpectedMoney.zero(c.currency))
          .toString();
      return {
        currency: c.currency,
        months: c.months.map((m) => ({
          month: m.month,
          from: m.from,
          to: m.to,
          oneOff: m.byKind.get('one-off')!.toString(),
          residual: m.byKind.get('residual')!.toString(),
          passive: m.byKind.get('passive')!.toString(),
          total: m.total.toString(),
          low: m.low.toString(),
          high: m.high.toString(),
        })),
        horizon: {
          oneOff: sum((m) => m.byKind.get('one-off')!),
          residual: sum((m) => m.byKind.get('residual')!),
          passive: sum((m) => m.byKind.get('passive')!),
          total: sum((m) => m.total),
        },
      };
    }),
  };
}

export const MODEL = 'multistage residual-income model (continuing value with persistence ω)';

export function valuationAnswer(f: Forecast, options: ValuationOptions, values: CurrencyValuation[]): ValuationAnswer {
  return {
    ...forecastAnswer(f),
    requiredRate: options.requiredRate,
    persistence: options.persistence,
    model: MODEL,
    valuation: values.map((v) => ({
      currency: v.currency,
      presentValueOfForecast: v.presentValueOfForecast.toString(),
      finalYearIncome: v.finalYearIncome.toString(),
      continuingValue: v.continuingValue.toString(),
      presentValueOfContinuingValue: v.presentValueOfContinuingValue.toString(),
      bookValue: v.bookValue.toString(),
      low: v.low.toString(),
      high: v.high.toString(),
    })),
  };
}

function summary(curve: SurvivalCurve): RetentionSummaryAnswer {
  return { product: curve.product, subscriptions: curve.subscriptions, tailHazard: curve.tailHazard };
}

export function curveAnswer(curve: SurvivalCurve): SurvivalCurveAnswer {
  return { ...summary(curve), points: curve.points.map((p) => ({ ...p })) };
}
