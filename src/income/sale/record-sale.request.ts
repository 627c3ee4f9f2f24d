import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, ValidateBy, ValidateIf, type ValidationArguments } from 'class-validator';
import { IsAmount, IsCurrencyCode, IsInstantWithOffset, IsLedgerId } from '../../http/validators.js';
import { everyOf } from '../../shared/exhaustive.js';
import { ID_RULE, isId } from '../../shared/ids.js';
import type { SaleKind } from '../events.js';

/**
 * What a single sale was called before "one-off" was left to the income kind alone. Clients in the field
 * still send it, so it is accepted, deprecated, as "single" (docs/api.md, Renamed).
 */
export const DEPRECATED_SINGLE_SALE = 'one-off';

const SALE_KINDS = everyOf<SaleKind>()('single', 'subscription');

/** A requested sale kind in today's word: the deprecated "one-off" is "single"; anything else is as sent. */
function saleKindOf(requested: unknown): unknown {
  return requested === DEPRECATED_SINGLE_SALE ? 'single' : requested;
}

export class RecordSaleRequest {
  @ApiProperty({ example: 'S-1001' })
  @IsLedgerId()
  saleId!: string;

  @ApiProperty({ example: 'ana' })
  @IsLedgerId()
  repId!: string;

  @ApiProperty({ example: 'C-77' })
  @IsLedgerId()
  customerId!: string;

  @ApiProperty({
    description: 'Decimal string, positive, at most 1000000000, no more decimals than the currency has',
    example: '100.00',
  })
  @IsAmount('currency')
  amount!: string;

  @ApiProperty({ description: 'ISO 4217', example: 'USD' })
  @IsCurrencyCode()
  currency!: string;

  @ApiProperty({
    description: `"single" or "subscription"; "${DEPRECATED_SINGLE_SALE}" is a deprecated alias of "single"`,
    oneOf: [
      { type: 'string', enum: SALE_KINDS },
      { type: 'string', enum: [DEPRECATED_SINGLE_SALE], deprecated: true, description: 'deprecated: send "single"' },
    ],
  })
  // Mapped before it is validated, so everything after the edge, and the error message, knows the new word only.
  @Transform(({ value }) => saleKindOf(value))
  @IsIn(SALE_KINDS, { message: `kind must be one of the following values: ${SALE_KINDS.join(', ')}` })
  kind!: SaleKind;

  @ApiProperty({
    required: false,
    description: 'Required for kind "subscription", refused for "single"',
    example: 'SUB-9',
  })
  @ValidateIf((o: RecordSaleRequest) => o.kind === 'subscription' || o.subscriptionId !== undefined)
  @ValidateBy({
    name: 'subscriptionIdMatchesKind',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        (args!.object as RecordSaleRequest).kind === 'subscription' ? isId(value) : false,
      defaultMessage: (args?: ValidationArguments) =>
        (args!.object as RecordSaleRequest).kind !== 'subscription'
          ? 'subscriptionId must be absent for a single sale'
          : args!.value === undefined
            ? 'subscriptionId is required for a subscription sale'
            : `subscriptionId must be ${ID_RULE} for a subscription sale`,
    },
  })
  subscriptionId?: string;

  @ApiProperty({
    required: false,
    description:
      "The product or billing plan sold: picks the plan's per-product rules (an unknown one earns the default)",
    example: 'PRO-MONTHLY',
  })
  @IsOptional()
  @IsLedgerId()
  productCode?: string;

  @ApiProperty({ example: '2025-02-01T10:00:00Z' })
  @IsInstantWithOffset()
  occurredAt!: string;
}
