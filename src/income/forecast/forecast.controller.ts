import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../../access/access.decorator.js';
import { ApiProblems } from '../../http/openapi.js';
import { RequestInvalidError } from '../../http/problem.js';
import { ParseIdPipe } from '../../http/validation.js';
import {
  curveAnswer,
  ForecastAnswer,
  forecastAnswer,
  RetentionAnswer,
  ValuationAnswer,
  valuationAnswer,
} from './forecast.answer.js';
import { FORECAST_DEFAULTS, ForecastQuery, ValuationQuery } from './forecast-query.request.js';
import type { ForecastOptions, ForecastScope } from './forecast.js';
import { ForecastService } from './forecast.service.js';
import { AT_RISK_MIN, PRODUCT_SUBSCRIPTIONS_MIN } from './survival.js';
import { valuation, VALUATION_HORIZON_MONTHS_MIN, type ValuationOptions } from './valuation.js';

@ApiTags('forecasts')
@Access('read')
@ApiProblems('INVALID_PARAMETER', 'PERSON_UNKNOWN', 'AS_OF_IN_FUTURE', 'FORECAST_TOO_LARGE', 'FORECAST_BUSY')
@Controller()
export class ForecastController {
  constructor(private readonly forecasts: ForecastService) {}

  @Get('people/:personId/forecast')
  @ApiOperation({ summary: 'Expected income per month and kind of a person, from the subscriptions they earn on' })
  @ApiOkResponse({ type: ForecastAnswer })
  async personForecast(
    @Param('personId', ParseIdPipe) personId: string,
    @Query() query: ForecastQuery,
  ): Promise<ForecastAnswer> {
    return forecastAnswer(await this.forecasts.forecast({ kind: 'person', personId }, optionsOf(query), query.asOf));
  }

  @Get('people/:personId/valuation')
  @ApiOperation({ summary: "Book value of a person's recurring income: the multistage residual-income model" })
  @ApiOkResponse({ type: ValuationAnswer })
  async personValuation(
    @Param('personId', ParseIdPipe) personId: string,
    @Query() query: ValuationQuery,
  ): Promise<ValuationAnswer> {
    return this.valuation({ kind: 'person', personId }, query);
  }

  // A branch is many people's income: its parameter is not `personId`, so a `read=<person>` key, which
  // the access guard checks against `personId`, cannot read it; a `read` key can.
  @Get('branches/:rootId/forecast')
  @ApiOperation({ summary: 'Expected income per month and kind of a person and everyone under them, together' })
  @ApiOkResponse({ type: ForecastAnswer })
  async branchForecast(
    @Param('rootId', ParseIdPipe) rootId: string,
    @Query() query: ForecastQuery,
  ): Promise<ForecastAnswer> {
    return forecastAnswer(
      await this.forecasts.forecast({ kind: 'branch', personId: rootId }, optionsOf(query), query.asOf),
    );
  }

  @Get('branches/:rootId/valuation')
  @ApiOperation({ summary: 'Book value of the recurring income of a person and everyone under them' })
  @ApiOkResponse({ type: ValuationAnswer })
  async branchValuation(
    @Param('rootId', ParseIdPipe) rootId: string,
    @Query() query: ValuationQuery,
  ): Promise<ValuationAnswer> {
    return this.valuation({ kind: 'branch', personId: rootId }, query);
  }

  @Get('programme/forecast')
  @ApiOperation({ summary: "Expected income of the whole programme (everyone's lines) per month and kind" })
  @ApiOkResponse({ type: ForecastAnswer })
  async programmeForecast(@Query() query: ForecastQuery): Promise<ForecastAnswer> {
    return forecastAnswer(await this.forecasts.forecast({ kind: 'programme' }, optionsOf(query), query.asOf));
  }

  @Get('programme/valuation')
  @ApiOperation({ summary: "Book value of the programme's whole book of recurring income" })
  @ApiOkResponse({ type: ValuationAnswer })
  async programmeValuation(@Query() query: ValuationQuery): Promise<ValuationAnswer> {
    return this.valuation({ kind: 'programme' }, query);
  }

  @Get('programme/retention')
  @ApiOperation({
    summary: 'Kaplan–Meier survival of subscriptions by age in months, with the sample behind each point',
  })
  @ApiOkResponse({ type: RetentionAnswer })
  async retention(@Query() query: ForecastQuery): Promise<RetentionAnswer> {
    const { ledger, retention } = await this.forecasts.retention(query.asOf);
    return {
      position: ledger.position,
      asOfTime: ledger.asOfTime === '' ? null : ledger.asOfTime,
      overall: curveAnswer(retention.overall),
      byProduct: [...retention.byProduct.values()].map(curveAnswer),
      productSubscriptionsMin: PRODUCT_SUBSCRIPTIONS_MIN,
      atRiskMin: AT_RISK_MIN,
    };
  }

  private async valuation(scope: ForecastScope, query: ValuationQuery): Promise<ValuationAnswer> {
    const options = optionsOf(query);
    if (options.horizonMonths < VALUATION_HORIZON_MONTHS_MIN) {
      throw new RequestInvalidError('INVALID_PARAMETER', 'a valuation needs a horizon of at least a year', [
        { field: 'horizonMonths', problems: [`horizonMonths must be at least ${VALUATION_HORIZON_MONTHS_MIN}`] },
      ]);
    }
    const rates: ValuationOptions = {
      requiredRate: query.requiredRate ?? FORECAST_DEFAULTS.requiredRate,
      persistence: query.persistence ?? FORECAST_DEFAULTS.persistence,
    };
    const forecast = await this.forecasts.forecast(scope, options, query.asOf);
    return valuationAnswer(forecast, rates, valuation(forecast, rates));
  }
}

function optionsOf(query: ForecastQuery): ForecastOptions {
  return {
    horizonMonths: query.horizonMonths ?? FORECAST_DEFAULTS.horizonMonths,
    seed: query.seed ?? FORECAST_DEFAULTS.seed,
    resamples: query.resamples ?? FORECAST_DEFAULTS.resamples,
    bandPercent: query.band ?? FORECAST_DEFAULTS.band,
  };
}
