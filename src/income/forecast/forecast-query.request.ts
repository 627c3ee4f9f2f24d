import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min, ValidateBy } from 'class-validator';
import { isPosition } from '../../event-store/event-store.port.js';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^[0-9]{1,10}$/.test(value) ? Number(value) : value;

export const FORECAST_DEFAULTS = {
  horizonMonths: 60,
  seed: 1,
  resamples: 200,
  band: 80,
  requiredRate: '0.10',
  persistence: '0.5',
} as const;

function WholeNumber(description: string, min: number, max: number, fallback: number): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ required: false, description: `${description}, ${min} to ${max}`, default: fallback }),
    IsOptional(),
    Transform(toInt),
    IsInt(),
    Min(min),
    Max(max),
  );
}

/** Parameters of every forecast: the as-of position, the horizon, the bootstrap behind the band. */
export class ForecastQuery {
  @ApiProperty({
    required: false,
    description: 'The forecast the ledger would have made as of this global position; default the head of the log',
    example: '42',
  })
  @IsOptional()
  @ValidateBy({
    name: 'isPosition',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isPosition(value),
      defaultMessage: () => 'asOf must be a global position (digits)',
    },
  })
  asOf?: string;

  @WholeNumber('Months forecast after the as-of time', 1, 120, FORECAST_DEFAULTS.horizonMonths)
  horizonMonths?: number;

  @WholeNumber('Seed of the bootstrap behind the band', 0, 4294967295, FORECAST_DEFAULTS.seed)
  seed?: number;

  @WholeNumber('Bootstrap resamples of the retention estimate (0: no band)', 0, 1000, FORECAST_DEFAULTS.resamples)
  resamples?: number;

  @WholeNumber(
    'Central share of the bootstrap shown as the band, in per cent (80: the 10th to the 90th percentile)',
    50,
    98,
    FORECAST_DEFAULTS.band,
  )
  band?: number;
}

const RATE = /^(0|[1-9][0-9]?)(\.[0-9]{1,6})?$/;

/** A valuation adds the required rate of return and the persistence after the horizon. */
export class ValuationQuery extends ForecastQuery {
  @ApiProperty({
    required: false,
    description: 'Required rate of return r, effective annual, a decimal from 0.0001 to 1 (discounted monthly)',
    default: FORECAST_DEFAULTS.requiredRate,
  })
  @IsOptional()
  @Matches(RATE, { message: 'requiredRate must be a decimal such as 0.10' })
  @ValidateBy({
    name: 'isRequiredRate',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && Number(value) > 0 && Number(value) <= 1,
      defaultMessage: () => 'requiredRate must be greater than 0 and at most 1',
    },
  })
  requiredRate?: string;

  @ApiProperty({
    required: false,
    description:
      'Persistence ω of the final year of income after the horizon, a decimal from 0 (stops) to 1 (for ever)',
    default: FORECAST_DEFAULTS.persistence,
  })
  @IsOptional()
  @Matches(RATE, { message: 'persistence must be a decimal such as 0.5' })
  @ValidateBy({
    name: 'isPersistence',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && Number(value) >= 0 && Number(value) <= 1,
      defaultMessage: () => 'persistence must be from 0 to 1',
    },
  })
  persistence?: string;
}
