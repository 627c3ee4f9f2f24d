import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateBy, ValidateIf, type ValidationArguments } from 'class-validator';
import { IsAmount, IsCurrencyCode, IsInstantWithOffset, IsLedgerId } from '../../http/validators.js';
import { ID_RULE, isId } from '../../shared/ids.js';
import type { SaleKind } from '../events.js';

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

  @ApiProperty({ enum: ['one-off', 'subscription'] })
  @IsIn(['one-off', 'subscription'])
  kind!: SaleKind;

  @ApiProperty({
    required: false,
    description: 'Required for kind "subscription", refused for "one-off"',
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
          ? 'subscriptionId must be absent for a one-off sale'
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
