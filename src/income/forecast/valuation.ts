// The valuation of recurring income ("book value"): the multistage residual-income model of equity
// valuation applied to a forecast. Present value of the months of the horizon, plus a continuing
// value for the stream after it, persisting at ω a year. Pure; exact until shown.
import { ExpectedMoney, Weight } from '../../shared/money.js';
import { percentile, type CurrencyForecast, type Forecast } from './forecast.js';

export interface ValuationOptions {
  /** Required rate of return r, effective annual, as a decimal string ("0.10"). */
  readonly requiredRate: string;
  /** Persistence ω of the final year's income after the horizon, 0 to 1, as a decimal string ("0.5"). */
  readonly persistence: string;
}

export interface CurrencyValuation {
  readonly currency: string;
  /** Σ over the horizon's months t of E_t × (1 + r)^(−t/12). */
  readonly presentValueOfForecast: ExpectedMoney;
  /** Y: the forecast income of the horizon's last 12 months. */
  readonly finalYearIncome: ExpectedMoney;
  /** CV = Y × ω / (1 + r − ω), at the end of the horizon. */
  readonly continuingValue: ExpectedMoney;
  /** CV × (1 + r)^(−H/12). */
  readonly presentValueOfContinuingValue: ExpectedMoney;
  readonly bookValue: ExpectedMoney;
  readonly low: ExpectedMoney;
  readonly high: ExpectedMoney;
}

/** A horizon shorter than a year leaves no final year to continue. */
export const VALUATION_HORIZON_MONTHS_MIN = 12;

export function valuation(forecast: Forecast, options: ValuationOptions): CurrencyValuation[] {
  // The months forecast: as many as asked, unless the horizon ran into the year 9999.
  const horizon = forecast.currencies[0]?.months.length ?? 0;
  const discounts = Array.from({ length: horizon }, (_, i) => Weight.discount(options.requiredRate, i + 1));
  const multiple = Weight.persistenceMultiple(options.requiredRate, options.persistence);
  const lowShare = (100 - forecast.options.bandPercent) / 200;
  return forecast.currencies.map((c: CurrencyForecast) => {
    const point = value(
      c.months.map((m) => m.total),
      discounts,
      multiple,
    );
    const draws = c.resampled.map((totals) => value(totals, discounts, multiple).bookValue);
    draws.sort((a, b) => a.compare(b));
    return {
      currency: c.currency,
      ...point,
      low: percentile(draws, lowShare) ?? point.bookValue,
      high: percentile(draws, 1 - lowShare) ?? point.bookValue,
    };
  });
}

function value(
  monthly: readonly ExpectedMoney[],
  discounts: readonly Weight[],
  multiple: Weight,
): Omit<CurrencyValuation, 'currency' | 'low' | 'high'> {
  const sum = (items: readonly ExpectedMoney[]) => items.reduce((a, b) => a.plus(b));
  const presentValueOfForecast = sum(monthly.map((e, i) => e.times(discounts[i]!)));
  const finalYearIncome = sum(monthly.slice(-12));
  const continuingValue = finalYearIncome.times(multiple);
  const presentValueOfContinuingValue = continuingValue.times(discounts[discounts.length - 1]!);
  return {
    presentValueOfForecast,
    finalYearIncome,
    continuingValue,
    presentValueOfContinuingValue,
    bookValue: presentValueOfForecast.plus(presentValueOfContinuingValue),
  };
}
