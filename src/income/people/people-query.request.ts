import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';
import { isPosition } from '../../event-store/event-store.port.js';
import { IsInstantWithOffset } from '../../http/validators.js';
import { everyOf } from '../../shared/exhaustive.js';
import type { IncomeKind, RuleName } from '../read-model/income.fold.js';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^[0-9]{1,6}$/.test(value) ? Number(value) : value;

/** Every query may wait for a position a command returned: read-your-writes. */
export class ConsistentQuery {
  @ApiProperty({
    required: false,
    description: 'Answer only once the read model has reached this position (from a command answer)',
  })
  @IsOptional()
  @ValidateBy({
    name: 'isPosition',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isPosition(value),
      defaultMessage: () => 'minPosition must be a position returned by a command',
    },
  })
  minPosition?: string;
}

export class PeriodQuery extends ConsistentQuery {
  @ApiProperty({ required: false, description: 'Business time, inclusive', example: '2025-01-01T00:00:00Z' })
  @IsOptional()
  @IsInstantWithOffset()
  from?: string;

  @ApiProperty({ required: false, description: 'Business time, exclusive', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsInstantWithOffset()
  to?: string;
}

/** `limit`: items per page, 1 to `max`, 100 by default. */
function PageLimit(items: string, max: number): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ required: false, description: `${items} per page, 1 to ${max}`, default: 100 }),
    IsOptional(),
    Transform(toInt),
    IsInt(),
    Min(1),
    Max(max),
  );
}

/** `cursor`: the nextCursor of the previous page. */
function PageCursor(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ required: false, description: 'nextCursor of the previous page' }),
    IsOptional(),
    IsString(),
    Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'cursor must be a nextCursor from a previous page' }),
  );
}

const KINDS = everyOf<IncomeKind>()('one-off', 'residual', 'passive');
const RULES = everyOf<RuleName>()('directSale', 'renewal', 'override', 'affiliate', 'fastStart');

export class HistoryQuery extends PeriodQuery {
  @PageLimit('Lines', 1000)
  limit?: number;

  @PageCursor()
  cursor?: string;

  @ApiProperty({ required: false, enum: KINDS, description: 'Only lines of this kind' })
  @IsOptional()
  @IsIn(KINDS)
  kind?: IncomeKind;

  @ApiProperty({ required: false, enum: RULES, description: 'Only lines of this rule' })
  @IsOptional()
  @IsIn(RULES)
  rule?: RuleName;

  @ApiProperty({ required: false, description: 'Only lines in this currency (ISO 4217)', example: 'USD' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' })
  currency?: string;
}

export class EventsQuery extends ConsistentQuery {
  @PageLimit('Events', 100)
  limit?: number;

  @PageCursor()
  cursor?: string;
}

export class DownlineQuery extends ConsistentQuery {
  @ApiProperty({ required: false, description: 'Generations below the person, 1 to 20', default: 3 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  depth?: number;
}
